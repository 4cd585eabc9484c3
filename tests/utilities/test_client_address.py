from django.test import RequestFactory, override_settings

from oversight.utilities.http import client_address


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_a_forwarded_header_is_not_believed():
    assert client_address(request("10.1.1.1", "6.6.6.6")) == "10.1.1.1"


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used_and_spoofing_fails():
    assert client_address(request("127.0.0.1", "10.2.2.2")) == "10.2.2.2"
    # A client that sends its own X-Forwarded-For only adds hops to the left.
    assert client_address(request("127.0.0.1", "6.6.6.6, 10.2.2.2")) == "10.2.2.2"
    assert client_address(request("127.0.0.1")) == "127.0.0.1"
