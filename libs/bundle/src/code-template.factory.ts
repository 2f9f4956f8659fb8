/**
 * A template tag for the code the bundle ships (shell, Python, JavaScript): like String.raw,
 * so backslashes reach the file as written, except that `\${` and `` \` `` come out as `${` and
 * `` ` ``, letting the shipped code use them. Interpolated values go in unchanged.
 */
export function code(
  strings: TemplateStringsArray,
  ...values: readonly (string | number)[]
): string {
  let out = '';
  strings.raw.forEach((text, i) => {
    out += text.replace(/\\(\$\{|`)/g, '$1');
    if (i < values.length) out += String(values[i]);
  });
  return out;
}
