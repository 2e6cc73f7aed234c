"""Scaling laws for neural machine translation.

Two forms from the literature:

- Ghorbani et al. (2021) model the test loss of an encoder-decoder Transformer as a bivariate
  law in encoder and decoder parameters,

      L(N_e, N_d) = a * (Ne_ref / N_e)^p_e * (Nd_ref / N_d)^p_d + L_inf,

  with different exponents for the two halves, so the total parameter count alone does not
  determine the loss. At a fixed total N = N_e + N_d the loss is lowest with a decoder share of
  p_d / (p_e + p_d) (derived in :func:`chinchilla_lib.symbolic.encoder_decoder_split`).
- Gordon et al. (2021) fit Kaplan et al.'s joint L(N, D)
  (:class:`~chinchilla_lib.laws.kaplan.KaplanLaw`, with D in bytes of training text) and
  relate BLEU to the loss by BLEU = C exp(-k L) (:class:`BleuFromLoss`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from chinchilla_lib import registry
from chinchilla_lib._validation import (
    FloatOrArray,
    as_positive_array,
    check_broadcast,
    check_fraction,
    check_nonnegative,
    checks_overflow,
    checks_overflow_methods,
    scalar_or_array,
    single,
)
from chinchilla_lib.laws.kaplan import KaplanLaw

__all__ = ["BleuFromLoss", "EncoderDecoderLaw", "decoder_exponent_ratio",
           "gordon_translation_law"]


@checks_overflow_methods
@dataclass(frozen=True)
class EncoderDecoderLaw:
    """Ghorbani et al.'s form: L = a (Ne_ref/N_e)^p_e (Nd_ref/N_d)^p_d + L_inf.

    Attributes
    ----------
    coefficient
        a, nats per token (> 0): the reducible loss at the reference sizes.
    encoder_exponent, decoder_exponent
        p_e and p_d (> 0).
    encoder_reference, decoder_reference
        Ne_ref and Nd_ref, parameters (> 0).
    floor
        L_inf, nats per token (>= 0).
    """

    coefficient: float
    encoder_exponent: float
    decoder_exponent: float
    encoder_reference: float
    decoder_reference: float
    floor: float = 0.0

    def __post_init__(self) -> None:
        for name in ("coefficient", "encoder_exponent", "decoder_exponent",
                     "encoder_reference", "decoder_reference"):
            object.__setattr__(self, name, single(name,
                                                  as_positive_array(name, getattr(self, name))))
        object.__setattr__(self, "floor", single("floor", check_nonnegative("floor", self.floor)))

    def loss(self, encoder_params: ArrayLike, decoder_params: ArrayLike) -> FloatOrArray:
        """Test loss in nats per token (vectorised; the two sizes broadcast)."""
        n_e = as_positive_array("encoder_params", encoder_params)
        n_d = as_positive_array("decoder_params", decoder_params)
        check_broadcast(encoder_params=n_e, decoder_params=n_d)
        reducible = (self.coefficient * (self.encoder_reference / n_e) ** self.encoder_exponent
                     * (self.decoder_reference / n_d) ** self.decoder_exponent)
        return scalar_or_array(reducible + self.floor, encoder_params, decoder_params)

    @property
    def optimal_decoder_fraction(self) -> float:
        """Decoder share N_d / (N_e + N_d) that minimises the loss at a fixed total."""
        return self.decoder_exponent / (self.encoder_exponent + self.decoder_exponent)

    def best_split(self, total_params: ArrayLike) -> tuple[FloatOrArray, FloatOrArray]:
        """(N_e, N_d) minimising the loss for ``total_params`` parameters (> 0) in all."""
        total = as_positive_array("total_params", total_params)
        decoder = self.optimal_decoder_fraction * total
        return (scalar_or_array(total - decoder, total_params),
                scalar_or_array(decoder, total_params))


@checks_overflow
def decoder_exponent_ratio(decoder_share: ArrayLike) -> FloatOrArray:
    """The exponent ratio p_d / p_e under which ``decoder_share`` is the optimal split.

    Inverts :attr:`EncoderDecoderLaw.optimal_decoder_fraction`, f* = p_d / (p_e + p_d), so
    r = f / (1 - f) (derived in :func:`chinchilla_lib.symbolic.decoder_share_exponent_ratio`).
    A share above one half needs a decoder exponent larger than the encoder's.

    Parameters
    ----------
    decoder_share
        f = N_d / (N_e + N_d), strictly between 0 and 1 (vectorised).

    Returns
    -------
    float or ndarray
        p_d / p_e, dimensionless.

    Examples
    --------
    >>> round(decoder_exponent_ratio(0.6), 6)
    1.5
    """
    share = check_fraction("decoder_share", decoder_share, allow_one=False)
    return scalar_or_array(share / (1.0 - share), decoder_share)


@checks_overflow_methods
@dataclass(frozen=True)
class BleuFromLoss:
    """BLEU = scale * exp(-decay * L), Gordon et al.'s relation between BLEU and loss.

    Attributes
    ----------
    scale
        C, the BLEU a loss of zero would give (> 0).
    decay
        k, per nat per token (> 0).
    """

    scale: float
    decay: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", single("scale", as_positive_array("scale", self.scale)))
        object.__setattr__(self, "decay", single("decay", as_positive_array("decay", self.decay)))

    @classmethod
    def from_registry(cls, name: str) -> BleuFromLoss:
        """A published BLEU(L) from the registry (the family ``BLEU_FROM_LOSS``), such as
        Gordon et al.'s ``"gordon2021/de-en BLEU(L)"``.

        Raises
        ------
        ValueError
            If ``name`` is not a fit of that family; the message lists those there are.
        """
        entry = registry.fit(name, family=registry.LawFamily.BLEU_FROM_LOSS)
        return cls(scale=entry["C"], decay=entry["k"])

    def __call__(self, loss: ArrayLike) -> FloatOrArray:
        """BLEU at test loss ``loss`` (nats per token, >= 0)."""
        values = check_nonnegative("loss", loss)
        return scalar_or_array(self.scale * np.exp(-self.decay * values), loss)

    def loss_for(self, bleu: ArrayLike) -> FloatOrArray:
        """The loss (nats per token) at which BLEU reaches ``bleu`` (0 < bleu <= scale)."""
        values = as_positive_array("bleu", bleu)
        if np.any(values > self.scale):
            raise ValueError(f"bleu must be in (0, scale={self.scale:g}]; "
                             f"got {values[values > self.scale].flat[0]!r}")
        return scalar_or_array(np.log(self.scale / values) / self.decay, bleu)


_PAIRS = ("de-en",)


@checks_overflow
def gordon_translation_law(pair: str = "de-en") -> tuple[KaplanLaw, BleuFromLoss]:
    """Gordon et al.'s L(N, D) (D in bytes of training text) and BLEU(L) for a language pair.

    The constants are regenerated from the authors' released code and results, not read in
    the paper (see the registry fits ``"gordon2021/de-en L(N,D)"`` and
    ``"gordon2021/de-en BLEU(L)"``).

    Parameters
    ----------
    pair
        Language pair; only ``"de-en"`` (German to English) is in the registry.
    """
    if pair not in _PAIRS:
        raise ValueError(f"pair must be one of {_PAIRS}; got {pair!r}")
    return (KaplanLaw.from_registry(f"gordon2021/{pair} L(N,D)"),
            BleuFromLoss.from_registry(f"gordon2021/{pair} BLEU(L)"))
