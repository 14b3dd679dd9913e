"""pyspf as a peer in `npm run bench`: spf.check2, what pyspf's own command line runs, asked
through the bench's DNS server on loopback instead of the system resolver. pyspf uses
dnspython when it can import it, else pydns (Debian's python3-spf); both are pointed here.
Usage: pyspf-peer.py HOST:PORT IP SENDER HELO -> prints pyspf's (result, explanation)."""
import sys

import spf

host, port = sys.argv[1].rsplit(":", 1)
if spf.DNSLookup.__name__ == "DNSLookup_dnspython":
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = int(port)
    dns.resolver.default_resolver = resolver
else:
    import DNS

    DNS.defaults["server"] = [host]
    DNS.defaults["port"] = int(port)
print(spf.check2(i=sys.argv[2], s=sys.argv[3], h=sys.argv[4]))
