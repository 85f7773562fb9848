"""Two fixes to Whoosh's matchers (whoosh-reloaded 2.7.5, the latest release), applied on import.

To find the top N hits, Whoosh's collector prunes as it goes: every few documents it asks the
matcher tree to `replace` itself with a cheaper one, given the lowest score still in the top N,
and the tree drops whatever can no longer reach it. Two matchers got that wrong, so that the
best article for a query could be missing from its list (for "gun control" at 37,548 articles,
the article that scores highest was not among the 100 listed):

- AndMaybeMatcher.skip_to moved its optional side to the id asked for, not to the id where its
  required side landed, so a document further on lost the optional side's share of its score.
  A union of title words turns into an AndMaybe when one word alone can no longer reach the top N,
  and the title boost then went missing from articles that had both words in their title.
- WrappingMatcher.replace (a boosted clause) passed the minimum score down unchanged, while its
  child's scores are multiplied by the boost: the child pruned as if it had to reach the minimum
  unboosted. skip_to_quality, beside it, divides by the boost; replace now does too.

tests/test_index.py checks the fixes on small matchers and that pruned searches rank exactly as
exhaustive ones.
"""

from __future__ import annotations

from whoosh.matching import mcore
from whoosh.matching.binary import AndMaybeMatcher
from whoosh.matching.wrappers import WrappingMatcher


def _and_maybe_skip_to(self, id):
    if not self.a.is_active():
        raise mcore.ReadTooFar
    moved_a = self.a.skip_to(id)
    moved_b = False
    if self.a.is_active() and self.b.is_active():
        moved_b = self.b.skip_to(self.a.id())  # where a is now, not where it was asked to go
    return moved_a or moved_b


def _wrapping_replace(self, minquality=0):
    # The child's scores are multiplied by the boost, so it must reach minquality / boost.
    boost = getattr(self, "boost", 1.0)  # some subclasses (InverseMatcher) never set one
    child_minimum = minquality / boost if minquality and boost > 0 else minquality
    replacement = self.child.replace(child_minimum)
    return self if replacement is self.child else self._replacement(replacement)


AndMaybeMatcher.skip_to = _and_maybe_skip_to
WrappingMatcher.replace = _wrapping_replace
