# Logstream: name the customer each request belongs to, from the CDN's own configuration.
#
# The edge producer's systemd unit runs
#   varnishncsa -F '%{VCL_Log:logstream-customer}x %h %l %u %t "%r" %s %b ...'
# so the first field of every log line is what this VCL wrote with std.log("logstream-customer:…").
# The id must come from what the CDN knows (the Host it serves, the service it is configured
# for), never from a header: a client sends request headers, a customer's origin sends response
# headers, and either could then name another customer and write into its topic.
#
# Use: in the main VCL (which has `vcl 4.1;` and `import std;`), `include
# "logstream-customer.vcl";` and `call logstream_customer;` at the top of its vcl_recv. Generate the if-chain from the CDN's service configuration; a request for
# a host no customer owns logs no id, varnishncsa prints "-" and the edge drops the line
# (counted as invalid_id).
sub logstream_customer {
    if (req.http.host ~ "^(www\.)?acme\.example(:[0-9]+)?$") {
        std.log("logstream-customer:acme");
    } elsif (req.http.host ~ "^shop\.globex\.example(:[0-9]+)?$") {
        std.log("logstream-customer:globex");
    }
}
