"""The client's address behind reverse proxies (oversight.lib.forwarded): a table of cases, and
properties that hold for any addresses and any header a client may send."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.lib.forwarded import client_address, parse_address, parse_networks

PROXIES = parse_networks(["10.0.0.0/8", "192.0.2.7", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote", "header", "expected"),
    [
        # No trusted proxy: the header is not read, whatever it says.
        ("198.51.100.1", "203.0.113.5", "198.51.100.1"),
        ("198.51.100.1", "", "198.51.100.1"),
        # One proxy: its entry is the client.
        ("10.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("192.0.2.7", "203.0.113.5", "203.0.113.5"),
        # What the client wrote itself, left of the proxy's entry, is not believed.
        ("10.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        # Two proxies: the right-most entry that is not one.
        ("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5,10.0.0.1", "203.0.113.5"),
        # Every entry a proxy: the left-most proxy reached; no header: the proxy itself.
        ("10.0.0.2", "10.0.0.3, 10.0.0.1", "10.0.0.3"),
        ("10.0.0.2", "", "10.0.0.2"),
        # Not an address: never the answer, and nothing left of it is believed.
        ("10.0.0.2", "203.0.113.5, unknown, 10.0.0.1", "10.0.0.1"),
        ("10.0.0.2", "203.0.113.5, 999.1.1.1", "10.0.0.2"),
        ("10.0.0.2", "203.0.113.5, <script>", "10.0.0.2"),
        # Blank entries (joined headers) are skipped.
        ("10.0.0.2", "203.0.113.5, , 10.0.0.1", "203.0.113.5"),
        # Ports, brackets, IPv6, IPv4 mapped into IPv6.
        ("10.0.0.1", "203.0.113.5:51234", "203.0.113.5"),
        ("10.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
        ("fd00::1", "2001:db8::1", "2001:db8::1"),
        ("::ffff:10.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.1", "::ffff:203.0.113.5", "203.0.113.5"),
        ("2001:db8::5", "203.0.113.5", "2001:db8::5"),
        # No address from the server: given back as it came.
        ("", "203.0.113.5", ""),
    ],
)
def test_the_client_is_the_right_most_address_a_trusted_proxy_vouches_for(remote, header, expected):
    assert client_address(remote, header, PROXIES) == expected


def test_with_no_trusted_proxy_the_connection_is_the_client():
    assert client_address("10.0.0.1", "203.0.113.5", ()) == "10.0.0.1"


def test_a_bad_trusted_proxy_entry_is_refused_by_name():
    with pytest.raises(ValueError, match="'10.0.0.0/33' is not an IP address or CIDR block"):
        parse_networks(["10.0.0.1", "10.0.0.0/33"])
    assert parse_networks(["10.1.2.3/8"]) == (ipaddress.ip_network("10.0.0.0/8"),)


def _not_mapped(address) -> bool:
    """An IPv4 address written as IPv6 comes back as IPv4 (a case in the table above)."""
    return address.version == 4 or address.ipv4_mapped is None


trusted = st.one_of(
    st.ip_addresses(network="10.0.0.0/8"),
    st.just(ipaddress.ip_address("192.0.2.7")),
    st.ip_addresses(network="fd00::/8"),
)
untrusted = st.ip_addresses().filter(lambda a: _not_mapped(a) and not any(a in n for n in PROXIES))
# Anything a client may put in the header it sends (commas, garbage, addresses, proxies' ones).
client_written = st.one_of(
    st.text(),
    st.lists(st.one_of(st.ip_addresses().map(str), st.text(max_size=12))).map(", ".join),
)


# The machine the suite runs on is shared and loaded: no timing limits.
LOADED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LOADED
@given(remote=untrusted, header=client_written)
def test_the_header_is_never_believed_from_a_connection_that_is_not_a_trusted_proxy(remote, header):
    assert client_address(str(remote), header, PROXIES) == str(remote)


@LOADED
@given(sent=client_written, client=untrusted, hops=st.lists(trusted, max_size=4), last=trusted)
def test_a_client_behind_trusted_proxies_is_found_whatever_header_it_sent(sent, client, hops, last):
    # Each proxy appends the address it was connected from: the client, then each proxy in turn.
    header = ", ".join([sent, str(client), *map(str, hops)])
    assert client_address(str(last), header, PROXIES) == str(client)


@LOADED
@given(remote=trusted, header=st.text())
def test_whatever_the_header_the_answer_is_an_address_from_the_connection_or_the_header(
    remote, header
):
    found = client_address(str(remote), header, PROXIES)
    assert parse_address(found) is not None
    named = {str(parse_address(e)) for e in header.split(",") if parse_address(e)}
    assert found == str(remote) or found in named
