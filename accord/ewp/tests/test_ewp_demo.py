"""`make ewp-demo` (``manage.py ewp_demo``): the two nodes it sets up and starts trust each other and
pass the self-test with nothing failing.

The nodes start from a copy of the peer-to-peer tests' migrated database (which also holds that test's
own institutions) so that the test does not pay for two more migrations; ``ewp_demo`` then migrates
(nothing left to do), seeds each node and writes the catalogue exactly as on a fresh clone.
"""

import io
import shutil

import pytest
from django.core.management import call_command

from accord.algorithms.xml_safety import parse_untrusted_xml
from accord.ewp.management.commands.ewp_demo import NODES
from accord.ewp.node.xml import REGISTRY
from accord.ewp.tests.peer_harness import free_port


@pytest.mark.usefixtures("transactional_db")
def test_the_demo_network_passes_the_self_test_on_both_nodes(tmp_path, node_b_template):
    for node in NODES:
        (tmp_path / node.label).mkdir()
        shutil.copyfile(node_b_template, tmp_path / node.label / "accord.sqlite3")
    out = io.StringIO()

    call_command(
        "ewp_demo",
        f"--folder={tmp_path}",
        "--ports",
        str(free_port()),
        str(free_port()),
        "--selftest",
        stdout=out,
    )

    assert "The self-test passed against both nodes." in out.getvalue()
    assert "FAIL" not in out.getvalue()
    catalogue = parse_untrusted_xml((tmp_path / "catalogue.xml").read_bytes())
    hosts = catalogue.findall(f"{{{REGISTRY}}}host")
    assert [host.findtext(f".//{{{REGISTRY}}}hei-id") for host in hosts] == [node.hei for node in NODES]
    assert all(host.find(f"{{{REGISTRY}}}client-credentials-in-use/*") is not None for host in hosts)
