#!/usr/bin/env python3
"""Writes l2-election-vectors.json: expected MetalLB Layer-2 election orders, for ElectionTest.

Regenerate (Python 3, standard library only) from the repository root:

    python3 speaker/src/test/resources/election/make-vectors.py

It rewrites l2-election-vectors.json next to this script; commit both. The output depends only on
the cases below, so running it again without editing them yields the same bytes. With --check it
writes nothing and exits 1 when the committed file differs from what it would write.

The algorithm is written here from its description, independently of ferrolb's Java code, so that
the test compares two implementations. Checked against MetalLB v0.16.2's
speaker/layer2_controller.go (sortL2Candidates, preferredScoresFor, ShouldAnnounce):

  * the candidates are sorted by their summed preferredNodeSelectors weight, highest first
    (a node without a preference scores 0; v0.16.1 has no preferences, i.e. all score 0);
  * ties are broken by SHA-256 over the UTF-8 bytes of node name + "#" + ip, compared byte-wise
    (unsigned), lowest first;
  * ip is Go's net.IP String() of the Service's first ingress IP: a dotted quad for IPv4 and for
    IPv4-mapped IPv6 (::ffff:a.b.c.d), otherwise RFC 5952 text: lower-case hex without leading
    zeros, the longest run of two or more zero groups (the first of equally long runs) as "::";
  * the first node of the sorted list announces the IP.
"""

import hashlib
import ipaddress
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "l2-election-vectors.json"

KIND = ["kind-control-plane", "kind-worker", "kind-worker2", "kind-worker3"]
ABC = ["node-a", "node-b", "node-c"]
LAB = ["n1", "n2", "n3"]  # the lab's node names (e2e Topology.nodeName)

COMMON_IPS = ["192.168.10.0", "192.168.10.1", "192.168.10.2", "192.168.1.240", "10.0.0.100",
              "fc00:f853:ccd:e799::", "fc00:f853:ccd:e799::1"]
LAB_IPS = ["198.18.0.%d" % i for i in range(200, 211)]  # the lab pool's first VIPs

# Non-canonical spellings: the hash is over the canonical text, never the spelling.
SPELLINGS = [
    (KIND, "FC00:F853:0CCD:E799:0000:0000:0000:0001", "upper case, leading zeros, no '::'"),
    (KIND, "fc00:f853:ccd:e799:0::", "a zero group outside the '::'"),
    (LAB, "2001:db8:0:0:1:0:0:1", "two equally long zero runs: the first becomes '::'"),
    (LAB, "2001:db8::1:1:1:1:1", "a single zero group is not compressed"),
    (LAB, "::ffff:198.18.0.200", "IPv4-mapped IPv6 is the IPv4 address"),
]

# (candidates, ip, summed preference score per node, note)
PREFERENCES = [
    (ABC, "192.168.10.0", {"node-c": 100}, None),
    (LAB, "198.18.0.200", {"n1": 50, "n3": 50}, "equal scores fall back to the hash order"),
]
PREFERENCE_NOTE = "preferredNodeSelectors (MetalLB v0.16.2; v0.16.1 has none)"


def go_ip_text(text):
    """Go's net.IP String() of the address spelled text."""
    address = ipaddress.ip_address(text)
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 4:
        return str(address)
    groups = [int(address.exploded[i:i + 4], 16) for i in range(0, 39, 5)]
    best_start, best_len = -1, 0
    i = 0
    while i < 8:
        if groups[i] == 0:
            j = i
            while j < 8 and groups[j] == 0:
                j += 1
            if j - i > best_len:
                best_start, best_len = i, j - i
            i = j
        else:
            i += 1
    hexes = ["%x" % g for g in groups]
    if best_len < 2:
        return ":".join(hexes)
    return ":".join(hexes[:best_start]) + "::" + ":".join(hexes[best_start + best_len:])


def election_hash(node, ip_text):
    return hashlib.sha256((node + "#" + go_ip_text(ip_text)).encode("utf-8")).digest()


def order(candidates, ip_text, scores):
    return sorted(candidates, key=lambda n: (-scores.get(n, 0), election_hash(n, ip_text)))


def hash_vector(candidates, ip_text, note=None):
    ranked = order(candidates, ip_text, {})
    vector = {
        "candidates": candidates,
        "firstIngressIP": ip_text,
        "expectedOrder": ranked,
        "winner": ranked[0],
        "hashes": {n: election_hash(n, ip_text).hex() for n in candidates},
    }
    if note:
        vector["note"] = note
    return vector


def preference_vector(candidates, ip_text, scores, note):
    ranked = order(candidates, ip_text, scores)
    return {
        "candidates": candidates,
        "firstIngressIP": ip_text,
        "preferredScores": scores,
        "expectedOrder": ranked,
        "winner": ranked[0],
        "note": PREFERENCE_NOTE + ("; " + note if note else ""),
    }


def vectors():
    out = []
    for candidates in (KIND, ABC):
        out += [hash_vector(candidates, ip) for ip in COMMON_IPS]
    out += [hash_vector(LAB, ip) for ip in LAB_IPS]
    for candidates, spelling, why in SPELLINGS:
        out.append(hash_vector(candidates, spelling,
                               "spelling of %s (%s)" % (go_ip_text(spelling), why)))
    out += [preference_vector(*p) for p in PREFERENCES]
    return out


def main():
    document = {
        "source": "speaker/src/test/resources/election/make-vectors.py: MetalLB's L2 election "
                  "(speaker/layer2_controller.go at v0.16.2: sort candidates by preference score "
                  "desc, then by SHA-256 of UTF-8 bytes of nodeName+'#'+ip, ascending byte-wise, ip "
                  "in Go's canonical text; first wins), computed independently with Python hashlib.",
        "vectors": vectors(),
    }
    text = json.dumps(document, indent=1) + "\n"
    if sys.argv[1:] == ["--check"]:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
        if current != text:
            print("%s is out of date; run %s" % (OUTPUT, Path(__file__).name), file=sys.stderr)
            return 1
        return 0
    if sys.argv[1:]:
        print("usage: make-vectors.py [--check]", file=sys.stderr)
        return 2
    OUTPUT.write_text(text, encoding="utf-8")
    print("wrote %d vectors to %s" % (len(document["vectors"]), OUTPUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
