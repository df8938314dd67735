"""Write the three tutorial notebooks (without outputs) from the cells below.

Run ``python notebooks/make_notebooks.py`` after editing a cell; ``tests/test_notebooks.py``
executes every notebook from top to bottom and checks the files here are up to date.
The notebooks use only the public API of :mod:`influence`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# The public functions are imported by name at the top of each notebook.
IMPORTS = """\
from influence import (validate, summary, centrality, spheres, frontier, brokerage, brokers,
                       structural_holes, core_periphery, civic_core, gatekeepers, missing,
                       engagement, leadership, compare, review, network, to_html, anonymise,
                       plot_spheres, plot_map, plot_engagement, datasets)"""

REVIEW = [
    ("md", """\
# A sphere-of-influence review, step by step

This notebook walks through the review a Big Local partnership runs every year or so: **who is
in our sphere of influence, and who is missing** that could help with our priorities. It uses
the bundled demo area, *Hollinford* — a made-up market town and two villages in the invented
county of Westshire — in 2023, compared with the same area in 2019.

With your own area you would start from `read("area.xlsx")` instead (see the README's
tutorial); every step below works the same."""),
    ("code", IMPORTS),
    ("md", """\
## 1. Load and check the map

A map is a table of **actors** (people and bodies) and a table of **ties** (who knows whom, who
is a member of what). `validate` lists every problem in a workbook; an empty list means it is
ready."""),
    ("code", """\
report = validate(datasets.path("hollinford"))
print(f"{len(report.errors)} errors, {len(report.warnings)} warnings")
m = datasets.load("hollinford")              # 2023
before = datasets.load("hollinford", year=2019)
m"""),
    ("code", "summary(m).head(20)"),
    ("md", """\
## 2. Our spheres of influence

Sphere 0 is the partnership and its members; sphere 1 is everyone they have a direct tie with;
sphere 2 is one introduction away; then further; then people and bodies we cannot reach at
all."""),
    ("code", """\
s = spheres(m)
s["sphere"].value_counts().sort_index()"""),
    ("md", """\
The **frontier**: the fewest people who, if we got to know them, would bring the most outside
actors one step closer."""),
    ("code", "frontier(m).head(10)"),
    ("md", """\
## 3. Who is missing for our priorities?

For each priority, the roles that hold power over it (the statutory body, the decision-maker,
the commissioner, the funder …) and how close we are to each: *absent* (not on our map at all),
*unconnected*, *reachable only through a gatekeeper*, *weakly tied*, *opposed* or *connected*.
With a real area, pass `area="E07000062"` (a GSS code or a council's name) to name the real
bodies."""),
    ("code", """\
gaps = missing(m, priorities=["health", "youth"])
gaps[["theme", "role", "body", "status", "actor", "path"]]"""),
    ("md", """\
## 4. Gatekeepers to the county council

Who does every route from the partnership to the county council pass through? If that one
person is sceptical of our plans, our access depends on them."""),
    ("code", """\
gk = gatekeepers(m, institution="county_council")
print("\\n".join(gk.sentences))
gk.table"""),
    ("md", """\
## 5. The civic core

Is a small group of people doing most of the volunteering? "It's always the same people." """),
    ("code", """\
core = civic_core(m)
print(core.sentence)
core.many_roles.head(10)"""),
    ("md", """\
## 6. Who to engage, and how

The engagement grid puts each actor's influence (0–5) against their stance (−2 opposes …
+2 champion) and our tie to them, and suggests an action."""),
    ("code", """\
grid = engagement(m)
grid[["name", "action", "evidence"]].head(15)"""),
    ("md", """\
## 7. The whole review, written to a folder

`review` runs all of the above (plus brokers, leadership model and what changed since 2019) and
writes a plain-English `report.html`, the interactive `map.html`, `review.xlsx` and one CSV per
table."""),
    ("code", """\
r = review(m, priorities=["health", "youth"], previous=before, as_at="2023-09-01")
for section, sentences in r.sentences.items():
    for sentence in sentences:
        print(f"[{section}] {sentence}")
written = r.write("hollinford-review", force=True)
print(f"{len(written)} files written to hollinford-review/")"""),
    ("md", """\
## 8. The map, inline

The same interactive map as `map.html`: search, filters, the sphere layout, and the people and
bodies that are missing shown as labelled ghost slots. Click a name to focus on its
neighbourhood; press **P** for presentation mode."""),
    ("code", """\
to_html(m, title="Hollinford Big Local: our sphere of influence", missing=r.missing)"""),
]

TOUR = [
    ("md", """\
# A researcher's tour: centrality and structure, cross-checked with networkx

Every analysis in `influence` accepts an `InfluenceMap` **or** a plain networkx graph and
returns a pandas DataFrame indexed by actor id. This notebook computes centrality, brokerage
roles, structural holes, core/periphery and the civic core on the classic datasets and on a
synthetic multi-area network, and **checks the results against networkx** (or against a direct
computation where networkx has no such measure) with `assert` statements."""),
    ("code", IMPORTS + """
import time

import networkx as nx
import numpy as np

def close(ours, theirs, tol=1e-6):
    \"\"\"Our Series equals networkx's dict (keys compared as text).\"\"\"
    theirs = {str(k): v for k, v in theirs.items()}
    return (len(ours) == len(theirs)
            and all(abs(float(ours[k]) - float(theirs[k])) < tol for k in theirs))"""),
    ("md", """\
## Centrality on Zachary's karate club

`datasets.load("karate")` gives the club as a map (34 members, 78 ties). Unweighted, each of
our measures equals networkx's on the same graph. (Our PageRank is solved to convergence, so
networkx is asked for a tighter tolerance than its default `1e-6` for the comparison.)"""),
    ("code", """\
karate = datasets.load("karate")
G = nx.karate_club_graph()
c = centrality(karate, weight=None)
assert close(c["degree"], nx.degree_centrality(G))
assert close(c["betweenness"], nx.betweenness_centrality(G))
assert close(c["closeness"], nx.closeness_centrality(G))
assert close(c["harmonic"], nx.harmonic_centrality(G))
assert close(c["eigenvector"], nx.eigenvector_centrality(G, max_iter=1000), tol=1e-4)
# karate_club_graph has weights: ignore them
assert close(c["pagerank"], nx.pagerank(G, weight=None, tol=1e-10))
assert close(c["core_number"], nx.core_number(G))
c.sort_values("betweenness", ascending=False).head()"""),
    ("md", """\
**Tie strength is a strength, not a distance.** With strengths, the path measures use
distance = 1/strength, so a strong tie is a short step. Here the ties of Hollinford (strength
1–3) are checked against networkx on the combined simple graph, whose `distance` attribute is
1/strength.

One subtlety: with distances 1, 1/2 and 1/3, two routes of equal length (1/3 + 2/3 and 1) can
differ in the last bit of floating point, and networkx then counts only one of them as a
shortest path. Betweenness does not change when every distance is multiplied by the same
number, so we compare against networkx with the exact whole-number distances 6/strength
(6, 3, 2) — and our values match it to machine precision."""),
    ("code", """\
demo = datasets.load("hollinford")
H = network(demo).nx          # the simple graph every analysis runs on
for u, v, d in H.edges(data=True):
    d["exact"] = round(6 / d["strength"])       # 6, 3, 2: the same shortest paths, no rounding
cw = centrality(demo, measures=["betweenness", "closeness", "pagerank"])
assert close(cw["betweenness"], nx.betweenness_centrality(H, weight="exact"))
assert close(cw["closeness"], nx.closeness_centrality(H, distance="distance"))
assert close(cw["pagerank"], nx.pagerank(H, weight="strength", tol=1e-10))
cw.sort_values("betweenness", ascending=False).head()"""),
    ("md", """\
## Brokerage roles (Gould & Fernandez 1989)

networkx has no brokerage roles. The roles split every open two-path `a → b → c` (no tie
`a → c`) by the groups of the three actors; an undirected tie counts both ways, as in R's
`sna::brokerage`. So each member's `total` must equal the number of ordered pairs of its
contacts that are not tied to each other — checked here with networkx. Groups are the two
factions of the club (`sector`)."""),
    ("code", """\
roles = brokerage(karate, by="sector")
for v in G:
    nbrs = list(G[v])
    open_pairs = sum(1 for a in nbrs for b in nbrs if a != b and not G.has_edge(a, b))
    assert roles.loc[str(v), "total"] == open_pairs
role_cols = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
assert (roles[role_cols].sum(axis=1) == roles["total"]).all()
roles[["group", *role_cols, "total", "total_z"]].sort_values("total", ascending=False).head()"""),
    ("md", """\
## Structural holes (Burt 1992)

On binary undirected data, effective size and constraint equal networkx's. (On weighted data
networkx's `effective_size` falls back to a different formula; ours follows Burt throughout.)"""),
    ("code", """\
F = nx.florentine_families_graph()
holes = structural_holes(F, weight=None)
assert close(holes["constraint"], nx.constraint(F))
assert close(holes["effective_size"], nx.effective_size(F))
holes.sort_values("constraint").head()"""),
    ("md", """\
## Core/periphery (Borgatti & Everett 2000)

networkx has no core/periphery model. The discrete model picks the core that maximises the
correlation between the adjacency matrix and the ideal pattern (core–core ties present,
periphery–periphery absent). With 15 families every split is tried, so the fit is the exact
optimum; we recompute it from the adjacency matrix with numpy, and check that no single move
into or out of the core improves it."""),
    ("code", """\
cp = core_periphery(F)
nodes = list(F)
A = nx.to_numpy_array(F, nodelist=nodes)

def fit(core):
    x, y = [], []
    for i, u in enumerate(nodes):
        for j, v in enumerate(nodes):
            if i == j or (u in core) != (v in core):
                continue              # core_block: core-periphery cells left out
            x.append(A[i, j]); y.append(1.0 if u in core else 0.0)
    return np.corrcoef(x, y)[0, 1]

core = set(cp.table.index[cp.table["core"]])
assert abs(fit(core) - cp.fit) < 1e-9
assert all(fit(core ^ {v}) <= cp.fit + 1e-12 for v in nodes if len(core ^ {v}) > 1)
print(f"core: {sorted(core)}; fit {cp.fit:.3f}")
cont = core_periphery(F, model="continuous")
cont.table.sort_values("coreness", ascending=False).head()"""),
    ("md", """\
## The civic core (Mohan & Bulloch 2012)

On Davis's Southern Women (18 women × 14 events), participation is the number of events each
woman attended — her degree in the two-mode graph. The core is the smallest set of top
participants who together provide two thirds of all participation (everyone tied at the
threshold included)."""),
    ("code", """\
W = nx.davis_southern_women_graph()
women = [n for n, d in W.nodes(data=True) if d["bipartite"] == 0]
cc = civic_core(W)
print(cc.sentence)
deg = sorted((W.degree(w) for w in women), reverse=True)
total = sum(deg)
k = next(i for i in range(1, len(deg) + 1) if 3 * sum(deg[:i]) >= 2 * total)
threshold = deg[k - 1]
expected = {w for w in women if W.degree(w) >= threshold}
d = cc.dimensions.loc["participation"]
assert float(d["total"]) == total and float(d["threshold"]) == threshold
assert int(d["core_size"]) == len(expected)
cc.dimensions"""),
    ("md", """\
## A synthetic multi-area network

`datasets.synthetic` generates areas shaped like Hollinford that share district, county and
NHS bodies. The heavy measures run on igraph (C), reported in networkx's conventions. On a
2-area network betweenness is checked against networkx; on a 10-area network (about 2,600
actors) PageRank and core numbers are."""),
    ("code", """\
small = datasets.synthetic(areas=2, seed=1)
S = network(small).nx
for u, v, d in S.edges(data=True):
    d["exact"] = round(6 / d["strength"])
cs = centrality(small, measures=["betweenness"])
assert close(cs["betweenness"], nx.betweenness_centrality(S, weight="exact"), tol=1e-9)

big = datasets.synthetic(areas=10, seed=1)
t = time.perf_counter()
cb = centrality(big, measures=["betweenness", "pagerank", "core_number"])
seconds = time.perf_counter() - t
print(f"{len(big.actors)} actors, {len(big.ties)} ties: centrality in {seconds:.1f} s")
B = network(big).nx
assert close(cb["pagerank"], nx.pagerank(B, weight="strength", tol=1e-10))
assert close(cb["core_number"], nx.core_number(B))
cb.sort_values("betweenness", ascending=False).head(10)"""),
    ("md", """\
## Brokers in one table

`brokers` joins brokerage roles, structural holes and betweenness, with each actor's main role
in words — here for the Hollinford demo, by village."""),
    ("code", """\
b = brokers(demo, by="sub_area")
b.sort_values("betweenness", ascending=False).head(10)"""),
    ("md", """\
## Communities (igraph) and their modularity

`communities` runs igraph's Leiden (default), Louvain or label propagation on the undirected
simple graph and reports the partition's modularity. We check it against networkx's
`modularity` on the same partition, and against igraph's own `modularity`. Karate's best known
modularity is 0.4198."""),
    ("code", """\
from influence import communities, ei_index, assortativity, ego, brokerage_totals
import igraph as ig

for method in ("leiden", "louvain", "label_propagation"):
    cm = communities(karate, method=method, weight=None)
    parts = [set(int(i) for i in g.index) for _, g in cm.table.groupby("community")]
    assert abs(cm.modularity - nx.algorithms.community.modularity(G, parts, weight=None)) < 1e-12
    print(f"{method}: {len(cm.groups)} communities, modularity {cm.modularity:.4f}")
zach = ig.Graph.Famous("Zachary")
cm = communities(karate, weight=None)
assert abs(cm.modularity - zach.modularity(cm.table["community"].tolist())) < 1e-12
assert abs(cm.modularity - 0.4198) < 1e-4
cm.groups"""),
    ("md", """\
## Bonding and bridging: the E-I index (Krackhardt & Stern 1988)

E-I = (external − internal) / (external + internal) ties: −1 when every tie stays inside a
group, +1 when every tie crosses. `expected` is the value random ties would give with these
group sizes; the permutation test shuffles the groups (UCINET's test). Here the two factions
of the club, checked against a direct count with networkx."""),
    ("code", """\
ei = ei_index(G, by="club", permutations=1000, seed=1)
inside = sum(1 for u, v in G.edges if G.nodes[u]["club"] == G.nodes[v]["club"])
outside = G.number_of_edges() - inside
assert abs(ei.ei - (outside - inside) / (outside + inside)) < 1e-12
sizes = [sum(1 for v in G if G.nodes[v]["club"] == c) for c in ("Mr. Hi", "Officer")]
pairs_in = sum(n * (n - 1) / 2 for n in sizes)
pairs_out = 34 * 33 / 2 - pairs_in
assert abs(ei.expected - (pairs_out - pairs_in) / (pairs_out + pairs_in)) < 1e-12
print(ei.sentence)
t = time.perf_counter()
ei_index(big, by="sub_area", permutations=1000, seed=1)
print(f"1,000 permutations on {len(big.actors)} actors: {time.perf_counter() - t:.1f} s")
ei.groups"""),
    ("md", """\
## Assortativity (Newman 2003)

Nominal and numeric attribute assortativity, equal to networkx's functions. The karate club
splits along its factions; on Hollinford, people tie mostly within their village."""),
    ("code", """\
a = assortativity(G, by="club")
assert abs(a.loc["club", "nominal"] - nx.attribute_assortativity_coefficient(G, "club")) < 1e-12
nx.set_node_attributes(G, dict(G.degree()), "deg")
a = assortativity(G, by="deg")
assert abs(a.loc["deg", "numeric"] - nx.numeric_assortativity_coefficient(G, "deg")) < 1e-12
assert abs(a.loc["deg", "numeric"] - nx.degree_assortativity_coefficient(G)) < 1e-12
assortativity(demo, by=["sub_area", "sector", "kind"])"""),
    ("md", """\
## Ego networks

For one actor: the size of its ego network, the ties among its contacts and their density,
Burt's effective size and constraint, and the mix of its contacts by kind, sector and village
with Blau's heterogeneity (1 − Σp²) and the IQV. Checked against networkx's `ego_graph`,
`constraint`, and Blau computed from the contacts directly."""),
    ("code", """\
e = ego(demo, "hbl", by="sub_area")
E = nx.ego_graph(H.to_undirected(), "hbl", radius=1)     # contacts in either direction
E.remove_node("hbl")
row = e.table.loc["hbl"]
assert row["size"] == E.number_of_nodes() and row["ties"] == E.number_of_edges()
assert abs(row["density"] - nx.density(E)) < 1e-12
village = demo.actors.loc[list(E), "sub_area"].value_counts(normalize=True)
assert abs(row["sub_area_blau"] - (1 - (village ** 2).sum())) < 1e-12
e.table.T"""),
    ("md", """\
## Is brokerage more than chance?

`brokerage_totals` gives each role's network total with R sna's expected value and z-score
(`z.gli`), and permutation p-values (shuffling the groups). The z-scores assume normal counts
under a random graph; for small groups prefer the permutation p-values, also available per
actor with `brokerage(..., permutations=1000)`. Checked: the observed totals are the column
sums of `brokerage`, and the total expectation is sna's d²(1−d)·N(N−1)(N−2)."""),
    ("code", """\
tot = brokerage_totals(karate, by="sector", permutations=1000, seed=1)
per = brokerage(karate, by="sector", permutations=1000, seed=1)
assert np.allclose(tot["observed"], per[role_cols + ["total"]].sum())
N, arcs = 34, 2 * 78
d = arcs / (N * (N - 1))
assert abs(tot.loc["total", "expected"] - d**2 * (1 - d) * N * (N - 1) * (N - 2)) < 1e-9
print(brokers(karate).attrs["groups"])     # without by, brokers uses the communities
tot"""),
]

WORKSHOP = [
    ("md", """\
# A facilitator's workshop pack

Everything you need for a two-hour session with the partnership: printed figures for the
tables, an interactive map for the projector, and what to say at each step. The demo area,
Hollinford, is fictional; with your own area, start from `read("area.xlsx")`.

**Before the session.** Residents are real people: print and project the *anonymised* map
(residents' names replaced by stable pseudonyms such as "Resident 1ABC"; councillors, officers
and other office-holders shown by their role, such as "Headteacher, Hollinford Primary
Academy"; public bodies keep their names). The projected map is also made with `share=True`,
so no one's stance, influence or giving shows in its pop-ups. Keep the salt — a secret word —
so the pseudonyms are the same at the next review."""),
    ("code", IMPORTS + """
import matplotlib
matplotlib.use("Agg")          # draw to files (works on any laptop, no screen needed)
import matplotlib.pyplot as plt
from pathlib import Path

SALT = "hollinford-workshop"   # keep this secret, and the same from one review to the next
pack = Path("workshop-pack")
pack.mkdir(exist_ok=True)
m = datasets.load("hollinford")
shared = anonymise(m, salt=SALT)
residents = m.actors.index[m.actors["kind"] == "resident"]
assert not set(m.actors.loc[residents, "name"]) & set(shared.actors["name"])
shared"""),
    ("md", """\
## Step 1 — "This is our sphere of influence" (10 minutes)

*Say:* "In the middle is the partnership. The first ring is everyone one of us knows directly.
The second ring is people we could reach through one introduction. Outside are the people and
bodies we can't reach yet." Ask: *who is surprised to be where they are? Who is missing?*"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(11.7, 8.3))       # A4 landscape
plot_spheres(m, ax=ax, anonymise=True, salt=SALT, title="Hollinford: our sphere of influence")
for ext in ("png", "pdf"):
    fig.savefig(pack / f"1-spheres.{ext}", dpi=200, bbox_inches="tight")
plt.close(fig)"""),
    ("md", """\
## Step 2 — "Who holds power over our priorities?" (20 minutes)

*Say:* "For health and for young people, these are the bodies that hold the power. Some are on
our map; some we only reach through one person; some aren't on it at all." Read the gaps out,
most important first, and ask who in the room knows someone there."""),
    ("code", """\
gaps = missing(m, priorities=["health", "youth"])
gaps[gaps["status"] != "connected"][["theme", "role", "body", "status", "path"]]"""),
    ("md", """\
## Step 3 — "Who should we talk to, and how?" (20 minutes)

*Say:* "Up and to the right are powerful people who back us — keep them close. Up and to the
left are powerful people who are sceptical — we need a plan for each." Give each table one name
to plan for."""),
    ("code", """\
fig, ax = plt.subplots(figsize=(11.7, 8.3))
plot_engagement(m, ax=ax, anonymise=True, salt=SALT, title="Who to engage, and how")
fig.savefig(pack / "2-engagement.png", dpi=200, bbox_inches="tight")
plt.close(fig)
grid = engagement(shared)
grid[["name", "action"]].head(12)"""),
    ("md", """\
## Step 4 — the whole map (15 minutes)

*Say:* "Each dot is a person or a body, coloured by sector; the bigger the dot, the more say
they have. Look for people who join up groups that are otherwise apart.\""""),
    ("code", """\
fig, ax = plt.subplots(figsize=(11.7, 8.3))
plot_map(m, ax=ax, color_by="sector", anonymise=True, salt=SALT, title="Hollinford: the whole map")
fig.savefig(pack / "3-map.svg", bbox_inches="tight")
plt.close(fig)
sorted(p.name for p in pack.iterdir())"""),
    ("md", """\
## The map for the projector

One HTML file that works offline — copy it to the laptop beforehand; no internet is needed in
the hall. Open it in a browser and press **P** (or the *Present* button) for presentation mode:
large text on a dark background, readable from the back of the room. The **→** and **←** keys
step through the views in order — *map, spheres, civic core, gatekeepers, missing* — which
follow the steps above; **Esc** leaves presentation mode. Type a name in the search box to
find someone; click anyone to see only their neighbourhood."""),
    ("code", """\
page = to_html(m, path=pack / "workshop-map.html", force=True, anonymise=True, share=True,
               salt=SALT, color_by="sector", title="Hollinford: our sphere of influence")
html = str(page)
assert "<script src=" not in html and 'rel="stylesheet" href=' not in html   # nothing fetched
assert not any(name in html for name in m.actors.loc[residents, "name"])
print(f"workshop-map.html: {len(html) / 1e6:.1f} MB, self-contained")
page"""),
    ("md", """\
## After the session

Write down who people said they know, add them to the workbook, and run the review again
(`influence review area.xlsx -o review/`). Delete the printed packs you no longer need: even
anonymised, a map of a small neighbourhood can identify people."""),
]

NOTEBOOKS = {
    "01_sphere_of_influence_review.ipynb": REVIEW,
    "02_researcher_tour.ipynb": TOUR,
    "03_workshop_pack.ipynb": WORKSHOP,
}


def build(cells) -> nbformat.NotebookNode:
    """A notebook (no outputs) from ``(kind, source)`` pairs."""
    nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src)
                             for kind, src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):    # stable ids, so regenerating changes nothing
        cell["id"] = f"cell-{i:02d}"
    return nb


def render(name) -> str:
    return nbformat.writes(build(NOTEBOOKS[name])) + "\n"


def main(argv=None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for name in NOTEBOOKS:
        path, text = HERE / name, render(name)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python notebooks/make_notebooks.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
