"""A live test server that answers without waiting for Nagle's algorithm.

Django's server writes a response's headers and its body separately. On a connection the client keeps
alive, the second write then waits for the client's delayed acknowledgement of the first: about 40 ms
a request on Linux, most of the time of a test that makes hundreds of requests (a run of the EWP
self-test makes over two hundred; browsers keep their connections alive too).
"""

import socket

from django.core.servers.basehttp import ThreadedWSGIServer


class NoDelayWSGIServer(ThreadedWSGIServer):
    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address
