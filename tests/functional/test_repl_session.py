"""The REPL session of the reference documentation, run as written against moto.

The same session is shown in docs/quickstart.rst.
"""

from __future__ import annotations

from swf.constants import DEPRECATED
from swf.core import Connection
from swf.models import Difference, Domain, ModelDiff
from swf.querysets import DomainQuerySet


def test_reference_repl_session(swf_backend: Connection) -> None:
    client = swf_backend
    # >>> D = Domain("TestDomain", description="test domain", client=client)
    D = Domain("TestDomain", description="test domain", client=client)
    # >>> D.save()
    D.save()
    # >>> D.exists
    assert D.exists is True
    # >>> D.is_synced
    assert D.is_synced is True
    # Someone deprecates the domain behind our back.
    client.call("DeprecateDomain", name="TestDomain")
    # >>> D.is_synced
    assert D.is_synced is False
    # >>> D.changes
    changes = D.changes
    assert changes == ModelDiff((Difference("status", "REGISTERED", "DEPRECATED"),))
    assert repr(changes) == "ModelDiff(Difference('status', 'REGISTERED', 'DEPRECATED'))"
    assert "status" in changes and len(changes) == 1
    # >>> D = D.upstream()
    D = D.upstream()
    assert repr(D) == "Domain('TestDomain', status='DEPRECATED', description='test domain')"
    assert D.is_synced
    # >>> DomainQuerySet(client=client).filter(status=DEPRECATED)
    deprecated = list(DomainQuerySet(client=client).filter(status=DEPRECATED))
    assert [d.name for d in deprecated] == ["TestDomain"]
    assert repr(Domain("x")) == "Domain('x')"
