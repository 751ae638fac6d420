"""Erasmus Without Paper: the documents Accord exchanges with partners' nodes, and how it trusts them.

* ``iia_xml``: agreement contents to and from IIAs API v7 ``iia`` elements;
* ``iia_hash``: the IIAs v7 ``iia-hash``, computed natively as the official stylesheet does;
* ``mobility``: student mobilities as the Outgoing and Incoming Mobilities APIs write them;
* ``learning_agreement``: learning agreements as Outgoing Mobility Learning Agreements ``la`` elements;
* ``elmo``: transcripts of records as EMREX ELMO documents;
* ``http_signature``: HTTP Signatures of requests and responses, and key ids;
* ``schemas``: validation against the official EWP XML Schemas, read offline from a folder.
"""
