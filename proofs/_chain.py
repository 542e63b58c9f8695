"""The registry every proof module of this chain registers its lemma in."""

from rlhfsym.chain import Registry

CHAIN = Registry("rlhf-generalization")
