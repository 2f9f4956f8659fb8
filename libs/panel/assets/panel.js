// Logstream customer panel: progressive enhancement on top of server-rendered pages. Every
// form works without this file; it adds copy buttons, the credential download with the new
// row highlighted, and the live tail (server-sent events).
(function () {
  'use strict';

  function csrfToken() {
    var field = document.querySelector('input[name="_csrf"]');
    return field ? field.value : '';
  }

  function download(blob, fileName) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 60000);
  }

  // Copy buttons: data-copy-from names the element whose text is copied.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy-from]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy-from'));
    if (!source) return;
    var text = source.textContent;
    var done = function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () {
        button.textContent = label;
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        selectText(source);
      });
    } else {
      selectText(source);
    }
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Issue a credential: the zip downloads, then the list reloads with the new row highlighted.
  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-download-form]');
    if (!form) return;
    event.preventDefault();
    var path = form.getAttribute('data-download-form');
    var status = document.getElementById('issue-status');
    var button = form.querySelector('button');
    if (button) button.disabled = true;
    if (status) status.textContent = 'Issuing a credential…';
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrfToken() },
      body: new URLSearchParams(new FormData(form)),
    })
      .then(function (res) {
        if (!res.ok) {
          return res.text().then(function (body) {
            var doc = new DOMParser().parseFromString(body, 'text/html');
            throw new Error(doc.body.textContent.trim() || 'HTTP ' + res.status);
          });
        }
        var id = res.headers.get('X-Credential-Id');
        var disposition = res.headers.get('Content-Disposition') || '';
        var match = /filename="([^"]+)"/.exec(disposition);
        return res.blob().then(function (blob) {
          download(blob, match ? match[1] : 'logstream-credential.zip');
          if (status)
            status.textContent =
              'Downloaded. Keep the zip safe: it holds the only copy of the key.';
          window.htmx.ajax('GET', path + '?highlight=' + encodeURIComponent(id), {
            target: '#credentials-block',
            swap: 'outerHTML',
          });
        });
      })
      .catch(function (err) {
        if (status) status.textContent = 'Not issued: ' + err.message;
        if (button) button.disabled = false;
      });
  });

  // htmx: an error answer is shown where the block's status line is, not swapped in.
  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
    var text = doc.body.textContent.trim() || 'HTTP ' + xhr.status;
    var target = event.detail.target;
    var note = document.createElement('p');
    note.className = 'alert';
    note.setAttribute('role', 'alert');
    note.textContent = text;
    if (target && target.parentNode) target.parentNode.insertBefore(note, target);
  });

  // Live tail.
  var MAX_SHOWN = 2000;
  function setUpTail(block) {
    var form = block.querySelector('#tail-form');
    var filter = block.querySelector('#tail-filter');
    var startButton = block.querySelector('#tail-start');
    var pauseButton = block.querySelector('#tail-pause');
    var stopButton = block.querySelector('#tail-stop');
    var exportButton = block.querySelector('#tail-export');
    var status = block.querySelector('#tail-status');
    var list = block.querySelector('#tail-lines');
    var source = null;
    var paused = false;
    var hidden = 0;
    var rate = 1;
    var limitText = '';

    function describe(text) {
      status.textContent =
        text + (rate > 1 ? ' Showing 1 in ' + rate + ' lines (above the limit).' : '');
    }
    function running(on) {
      startButton.disabled = on;
      pauseButton.disabled = !on;
      stopButton.disabled = !on;
      filter.disabled = on;
      if (!on) {
        paused = false;
        pauseButton.setAttribute('aria-pressed', 'false');
        pauseButton.textContent = 'Pause';
      }
    }
    function close(text) {
      if (source) source.close();
      source = null;
      running(false);
      rate = 1;
      describe(text);
    }
    function append(text) {
      var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
      var item = document.createElement('li');
      item.textContent = text;
      list.appendChild(item);
      while (list.childElementCount > MAX_SHOWN) list.firstElementChild.remove();
      exportButton.disabled = false;
      if (atBottom) list.scrollTop = list.scrollHeight;
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (source) return;
      var url = block.getAttribute('data-tail-url') + '?filter=' + encodeURIComponent(filter.value);
      hidden = 0;
      rate = 1;
      running(true);
      describe('Connecting…');
      source = new EventSource(url);
      source.addEventListener('ready', function (event) {
        var info = JSON.parse(event.data);
        limitText = ' Ends after ' + Math.round(info.maxDurationMs / 1000) + ' s.';
        block.setAttribute('data-tail-state', 'live');
        describe('Live: new lines appear below.' + limitText);
      });
      source.addEventListener('line', function (event) {
        if (paused) {
          hidden++;
          describe('Paused: ' + hidden + ' new lines not shown.');
          return;
        }
        append(JSON.parse(event.data).text);
      });
      source.addEventListener('sampling', function (event) {
        rate = JSON.parse(event.data).rate;
        if (!paused) describe('Live.' + limitText);
      });
      source.addEventListener('end', function (event) {
        block.setAttribute('data-tail-state', 'ended');
        close('Ended: ' + JSON.parse(event.data).reason + '.');
      });
      source.onerror = function () {
        if (!source) return;
        block.setAttribute('data-tail-state', 'ended');
        close('The live tail stopped: the connection was lost or refused. Start it again.');
      };
    });
    pauseButton.addEventListener('click', function () {
      paused = !paused;
      pauseButton.setAttribute('aria-pressed', paused ? 'true' : 'false');
      pauseButton.textContent = paused ? 'Resume' : 'Pause';
      if (paused) describe('Paused.');
      else {
        hidden = 0;
        describe('Live: new lines appear below.' + limitText);
      }
    });
    stopButton.addEventListener('click', function () {
      block.setAttribute('data-tail-state', 'stopped');
      close('Stopped.');
    });
    exportButton.addEventListener('click', function () {
      var lines = Array.prototype.map.call(list.children, function (li) {
        return li.textContent;
      });
      var stamp = new Date().toISOString().replace(/[:.]/g, '-');
      download(
        new Blob([lines.join('\n') + '\n'], { type: 'text/plain' }),
        block.getAttribute('data-customer') + '-tail-' + stamp + '.log',
      );
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var block = document.getElementById('tail-block');
    if (block) setUpTail(block);
  });
})();
