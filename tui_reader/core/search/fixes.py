"""Three fixes to Whoosh's matchers (whoosh-reloaded 2.7.5, the latest release), applied on import.

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

And one that let excluded articles through a NOT:

- AndNotMatcher._find_first (run when the matcher is made, reset or replaced) moved the excluded
  side forward only when its first id equalled the required side's. When the excluded side began
  earlier, the required side's first document was kept even if it was excluded:
  AndNotMatcher(ListMatcher([3, 5]), ListMatcher([1, 3])) gave [3, 5], not [5]. In an index, about
  one excluded article a segment came through, and the list and the count disagreed ("tax -Trump"
  on a fifth of the corpus). _find_next, which it calls, skips the excluded side up to the required
  side first; it now always runs.

The fixes replace methods whose code was read in Whoosh 2.7.5 only. On another version they are
not applied, with a warning: replacing code that was not read could break a Whoosh that has changed
(or fixed) these methods, while Whoosh as it is still runs every search, only ranks some best
articles lower and lets a few excluded ones through; and the tests of these fixes then fail, to say
that they must be looked at again. pyproject.toml pins 2.7.5, so users never see the warning.
"""

from __future__ import annotations

import warnings

import whoosh
from whoosh.matching import mcore
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher
from whoosh.matching.wrappers import WrappingMatcher

WRITTEN_FOR = (2, 7, 5)  # the Whoosh version whose matchers these fixes were written against


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


def _and_not_find_first(self):
    # _find_next skips the excluded side up to the required side's id, then past every id both hold.
    if self.a.is_active() and self.b.is_active():
        self._find_next()


def apply(version: tuple = whoosh.__version__) -> bool:
    """Put the fixes in place if Whoosh is the version they were written for; True if they are."""
    if tuple(version[:3]) != WRITTEN_FOR:
        found = ".".join(map(str, version))
        warnings.warn(
            f"newsreader's fixes to Whoosh's matchers were written for Whoosh 2.7.5, and {found} is installed: "
            "they are not applied (they replace code read in 2.7.5 only), so some searches may rank the best "
            "articles lower or let a few excluded (NOT) articles through. Install whoosh-reloaded==2.7.5.",
            RuntimeWarning, stacklevel=2)
        return False
    AndMaybeMatcher.skip_to = _and_maybe_skip_to
    WrappingMatcher.replace = _wrapping_replace
    AndNotMatcher._find_first = _and_not_find_first
    return True


APPLIED = apply()
