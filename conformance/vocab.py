"""The RDF vocabularies of the W3C test manifests (mf:, qt:, ut:, ht:, ...) as rdflib namespaces."""

from __future__ import annotations

from rdflib import Namespace

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
ENT = Namespace("http://www.w3.org/ns/entailment/")

# The IRI under which the W3C published the SPARQL 1.1 test files; relative IRIs in queries, data and
# results resolve against it, as they do in every other implementation report.
W3C_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
