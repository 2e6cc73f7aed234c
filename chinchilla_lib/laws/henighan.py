"""Henighan et al. (2020): L = L_inf + (x_0 / x)^alpha across modalities (their Table 1)."""

from __future__ import annotations

from chinchilla_lib import registry
from chinchilla_lib._validation import checks_overflow
from chinchilla_lib.laws.power import PowerLaw, SaturatingPowerLaw

__all__ = ["henighan_exponents", "henighan_law", "henighan_optimal_size"]


@checks_overflow
def henighan_law(domain: str, variable: str = "N") -> SaturatingPowerLaw:
    """Henighan et al.'s fitted law for one domain, from the registry.

    Parameters
    ----------
    domain
        One of :data:`chinchilla_lib.registry.HENIGHAN_DOMAINS`, or, for ``variable="N"``
        only, one of :data:`chinchilla_lib.registry.HENIGHAN_TEXT_LOSS_DOMAINS` (the text loss
        of the multimodal models, for which Table 1 prints no compute fit).
    variable
        ``"N"`` for loss against non-embedding parameters, ``"C"`` for loss against compute
        in PF-days.

    Returns
    -------
    SaturatingPowerLaw
        Loss in nats per token; the floor is the paper's L_inf (0 for language, where the
        paper fits no floor).
    """
    if variable not in ("N", "C"):
        raise ValueError(f"variable must be 'N' or 'C'; got {variable!r}")
    known = registry.HENIGHAN_DOMAINS + (
        registry.HENIGHAN_TEXT_LOSS_DOMAINS if variable == "N" else ())
    if domain not in known:
        raise ValueError(f"domain must be one of {list(known)}; got {domain!r}")
    return SaturatingPowerLaw.from_registry(f"henighan2020/L({variable}) {domain}")


@checks_overflow
def henighan_optimal_size(domain: str) -> PowerLaw:
    """N_opt(C) = (C / C_0)^beta for one domain (C in PF-days), from the registry.

    Raises
    ------
    ValueError
        If the domain has no N_opt(C) fit in Table 1 (the text-image rows).
    """
    name = f"henighan2020/N_opt(C) {domain}"
    if name not in registry.FITS:
        known = [d for d in registry.HENIGHAN_DOMAINS
                 if f"henighan2020/N_opt(C) {d}" in registry.FITS]
        raise ValueError(f"domain must be one of {known}; got {domain!r}")
    return PowerLaw.from_registry(name)


@checks_overflow
def henighan_exponents(fit: str = "L(N)") -> dict[str, float]:
    """Every exponent of one column of Henighan et al.'s Table 1, by domain, from the registry.

    Parameters
    ----------
    fit
        ``"L(N)"`` for alpha_N of the loss against non-embedding parameters (all twelve rows,
        the two text-loss rows included), ``"L(C)"`` for alpha_C of the loss against compute
        in PF-days (ten rows), or ``"N_opt(C)"`` for beta of the compute-optimal size
        N_opt ~ C^beta (the rows that have one).

    Returns
    -------
    dict of str to float
        Exponent (dimensionless, positive) by domain, in the table's order.

    Raises
    ------
    ValueError
        If ``fit`` is not one of the three columns.

    Examples
    --------
    >>> alpha_n = henighan_exponents("L(N)")
    >>> print(f"{min(alpha_n.values()):.3f} to {max(alpha_n.values()):.2f}")
    0.037 to 0.24
    """
    columns = {"L(N)": "alpha", "L(C)": "alpha", "N_opt(C)": "beta"}
    if fit not in columns:
        raise ValueError(f"fit must be one of {list(columns)}; got {fit!r}")
    domains = registry.HENIGHAN_DOMAINS + (
        registry.HENIGHAN_TEXT_LOSS_DOMAINS if fit == "L(N)" else ())
    return {domain: registry.fit(name).params[columns[fit]] for domain in domains
            if (name := f"henighan2020/{fit} {domain}") in registry.FITS}
