"""`oversight serve` on a port another server holds says how to choose another."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.django_db
def test_a_busy_port_is_refused_with_how_to_choose_another():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(CommandError) as refused:
            call_command("serve", "--check", "--port", str(port), stdout=StringIO())
    message = str(refused.value)
    assert f"port {port} on 127.0.0.1 is in use" in message
    assert f"--port {port + 1}" in message
    assert f"make demo PORT={port + 1}" in message


@pytest.mark.django_db
def test_a_free_port_is_served():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = StringIO()
    call_command("serve", "--check", "--port", str(port), stdout=out)
    assert f"Oversight at http://127.0.0.1:{port}/" in out.getvalue()
