"""Broken power laws: the law, its local slope against sympy, and the fitter."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chinchilla_lib import symbolic
from chinchilla_lib.fitting.bnsl import fit_bnsl, fit_bnsl_auto
from chinchilla_lib.laws.bnsl import Break, BrokenPowerLaw
from chinchilla_lib.metrics import rmsle

ONE_BREAK = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 612.8, 0.06),))


def _one_break_slope():
    """The sympy local slope of a one-break law, derived once, evaluated with mpmath."""
    symbols, slope = symbolic.bnsl_local_slope(1)
    arguments = [symbols[name] for name in ("x", "c0", "c1", "d1", "f1")]
    function = sp.lambdify(arguments, slope, modules="mpmath")

    def evaluate(*values: float) -> float:
        with mpmath.workdps(30):
            return float(function(*values))
    return evaluate


ONE_BREAK_SLOPE = _one_break_slope()


@settings(max_examples=40)
@given(st.floats(-1.0, 2.0), st.floats(-3.0, 6.0), st.floats(10.0, 1e4), st.floats(0.02, 2.0),
       st.floats(1.0, 1e5))
def test_local_slope_matches_sympy(c0, c1, d1, f1, x):
    law = BrokenPowerLaw(0.0, 1.0, c0, (Break(c1, d1, f1),))
    expected = ONE_BREAK_SLOPE(x, c0, c1, d1, f1)
    assert law.local_slope(x) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_slope_moves_from_c0_to_c0_plus_c1():
    assert ONE_BREAK.local_slope(1.0) == pytest.approx(-0.055, abs=1e-6)
    assert ONE_BREAK.local_slope(1e6) == pytest.approx(-(0.055 + 5.7), abs=1e-6)


def test_no_breaks_is_a_saturating_power_law():
    law = BrokenPowerLaw(1.0, 2.0, 0.5)
    assert law(4.0) == pytest.approx(1.0 + 2.0 * 4.0**-0.5)


def test_noiseless_fit_recovers_and_extrapolates_a_decade():
    x = np.geomspace(100, 1000, 20)
    fit = fit_bnsl(x, ONE_BREAK(x), breaks=1)
    beyond = np.geomspace(1000, 10000, 10)
    assert rmsle(fit.law, beyond, ONE_BREAK(beyond)) <= 1e-4
    assert fit.law.breaks[0].d == pytest.approx(612.8, rel=1e-4)
    assert fit.law.c0 == pytest.approx(0.055, rel=1e-4)


def test_double_descent_and_plateau_shapes():
    bump = BrokenPowerLaw(0.0, 1.0, 0.5, (Break(-1.0, 100.0, 0.3), Break(2.0, 1000.0, 0.3)))
    x = np.geomspace(10, 1e4, 200)
    y = bump(x)
    assert np.any(np.diff(y) > 0)  # rises between the breaks: double descent
    plateau = BrokenPowerLaw(0.0, 1.0, 0.5, (Break(-0.5, 100.0, 0.1),))
    assert plateau.local_slope(1e4) == pytest.approx(0.0, abs=1e-3)


def _one_break_data(points: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.geomspace(100, 1000, points)
    return x, ONE_BREAK(x) * np.exp(0.002 * np.random.default_rng(seed).standard_normal(x.size))


@pytest.mark.parametrize(("truth", "x", "expected"), [
    (BrokenPowerLaw(0.4, 2.3, 0.3), np.geomspace(100, 1e4, 40), 0),
    (ONE_BREAK, np.geomspace(100, 1000, 24), 1),
    (BrokenPowerLaw(0.3, 20.0, 0.15, (Break(0.6, 3e3, 0.2), Break(-0.3, 1e5, 0.3))),
     np.geomspace(100, 3e6, 30), 2),
])
def test_auto_selection_finds_the_planted_number_of_breaks(truth, x, expected):
    """0.2% noise, seeded: the information criterion chooses exactly the planted number of
    breaks, none, one or two, on each of three data sets."""
    for seed in range(3):
        y = truth(x) * np.exp(0.002 * np.random.default_rng(seed).standard_normal(x.size))
        assert fit_bnsl_auto(x, y, max_breaks=2, criterion="bic").n_breaks == expected, seed
    x1, y1 = _one_break_data(24, seed=0)
    assert fit_bnsl_auto(x1, y1, max_breaks=2).n_breaks == 1  # held-out criterion


def test_bootstrap_intervals_contain_the_truth_and_narrow_with_more_points():
    widths = {}
    for points in (24, 96):
        x, y = _one_break_data(points, seed=1)
        fit = fit_bnsl(x, y, breaks=1, bootstrap=100, seed=1)
        assert fit.interval("c0").contains(ONE_BREAK.c0)
        assert fit.interval("d1").contains(ONE_BREAK.breaks[0].d)
        widths[points] = fit.interval("c0").width
    assert widths[96] < 0.85 * widths[24]


@pytest.mark.slow
def test_bootstrap_coverage_over_repeated_experiments():
    """40 seeded experiments of 24 points. The break position's 95% interval covers the truth
    at about the nominal rate; the first slope's residual-bootstrap interval is known to
    undercover at so few points (about 78%: the residuals of a six-parameter fit are smaller
    than the noise), and is held to that."""
    hits: dict[str, list[bool]] = {"c0": [], "d1": []}
    for seed in range(40):
        x, y = _one_break_data(24, seed)
        fit = fit_bnsl(x, y, breaks=1, bootstrap=100, seed=seed)
        hits["c0"].append(fit.interval("c0").contains(ONE_BREAK.c0))
        hits["d1"].append(fit.interval("d1").contains(ONE_BREAK.breaks[0].d))
    assert 0.85 <= np.mean(hits["d1"]) <= 1.0
    assert 0.7 <= np.mean(hits["c0"]) <= 1.0


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"breaks": 4}, "breaks"), ({"target": "raw"}, "target"), ({"bootstrap": -1}, "bootstrap"),
])
def test_bad_options(kwargs, match):
    x = np.geomspace(100, 1000, 20)
    with pytest.raises(ValueError, match=match):
        fit_bnsl(x, ONE_BREAK(x), **kwargs)


def test_start_refines_a_break_beyond_the_data():
    """Exact data ending before a sharp break: the default grid (breaks inside the data) misses
    it, a first guess beyond the data recovers it, and bad starts are refused."""
    law = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(5.7, 600.0, 0.06),))
    x = np.arange(1.0, 401.0)
    beyond = np.arange(700.0, 2000.0)
    guess = BrokenPowerLaw(0.4, 2.3, 0.055, (Break(4.0, 800.0, 0.1),))
    fit = fit_bnsl(x, law(x), breaks=1, target="log1p", start=guess)
    assert fit.law.breaks[0].d == pytest.approx(600.0, rel=0.01)
    assert rmsle(fit.law, beyond, law(beyond)) < 0.01
    assert rmsle(fit_bnsl(x, law(x), breaks=1).law, beyond, law(beyond)) > 0.1
    with pytest.raises(ValueError, match="start"):
        fit_bnsl(x, law(x), breaks=2, start=guess)


def test_bad_laws():
    with pytest.raises(ValueError, match="d"):
        Break(1.0, 0.0, 0.1)
    with pytest.raises(ValueError, match="f"):
        Break(1.0, 1.0, math.nan)
    with pytest.raises(ValueError, match="a"):
        BrokenPowerLaw(-1.0, 1.0, 0.5)
    with pytest.raises(ValueError, match="at least 7"):
        fit_bnsl([1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0], breaks=1)


def test_sharp_breaks_far_past_the_break_stay_finite_and_quiet():
    """A sharp break (small f) far beyond d overflows (x/d)^(1/f) unless kept in logs."""
    law = BrokenPowerLaw(0.3, 20.0, 0.15, (Break(0.6, 3e3, 0.05),))
    x = np.array([1.0, 3e3, 1e8, 1e300])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = law(x)
        slopes = law.local_slope(x)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))
    assert slopes[-1] == pytest.approx(-0.75)
    assert slopes[0] == pytest.approx(-0.15)
    # Closed form far past the break: y - a ~ b x^-c0 (x/d)^-c1.
    assert values[2] - 0.3 == pytest.approx(20.0 * 1e8 ** -0.15 * (1e8 / 3e3) ** -0.6, rel=1e-9)


def test_transition_decades_spans_ten_to_ninety_percent_of_the_change():
    brk = Break(0.4, 100.0, 0.3)
    law = BrokenPowerLaw(0.0, 1.0, 0.1, (brk,))
    half = brk.transition_decades() / 2
    low, high = law.local_slope(100.0 * 10**-half), law.local_slope(100.0 * 10**half)
    assert (-low - 0.1) / 0.4 == pytest.approx(0.1)
    assert (-high - 0.1) / 0.4 == pytest.approx(0.9)


# A synthetic file laid out like Caballero et al.'s fitting script (imports, the model's
# functions, the points as module-level np.array literals split over lines, then a main
# block). Its values are invented; the import of a module that does not exist proves that
# the reader parses the file and never runs it.
_AUTHORS_LAYOUT = '''
import matplotlib.pyplot as plt
import scipy.optimize
import a_module_that_does_not_exist
import numpy as np

def bnsl_with_1_break(_x, a, b, c0, c1, d1, f1):
    y = a + b * _x**(-c0) * (1 + (_x/d1)**(1/f1))**(-c1 * f1)
    return y


x = np.array([{x}])

y = np.array([{y}])

if __name__ == '__main__':
    split_point = {split}
    raise SystemExit("never run")
'''


def _write_authors_layout(folder, x, y, split=14):
    def block(values, fmt):
        items = [fmt.format(v) for v in values]
        rows = [",  ".join(items[i:i + 5]) for i in range(0, len(items), 5)]
        return ", \n              ".join(rows)

    path = folder / "fit_bnsl_and_extrapolate__synthetic.py"
    path.write_text(_AUTHORS_LAYOUT.format(x=block(x, "{:d}"), y=block(y, "{:.8f}"),
                                           split=split))
    return path


def test_read_authors_points_reads_a_file_of_the_authors_layout(tmp_path):
    from chinchilla_lib.fitting.bnsl import read_authors_points

    x_true = np.arange(160, 960, 48)
    y_true = np.round(ONE_BREAK(x_true.astype(float)), 8)
    path = _write_authors_layout(tmp_path, x_true, y_true)
    x, y = read_authors_points(path)
    np.testing.assert_array_equal(x, x_true.astype(float))
    np.testing.assert_allclose(y, y_true, rtol=0, atol=1e-12)
    fit = fit_bnsl(x[:14], y[:14], breaks=1, target="log1p")
    assert rmsle(fit.law, x[14:], y[14:]) < 0.05


def test_review_utf8_byte_order_mark_authors_script_is_read(tmp_path):
    """Review row "a UTF-8 byte-order mark (files saved by spreadsheets)": a script of the
    authors' layout saved with a byte-order mark (or non-ASCII comments) reads like any other,
    through the one reader of text input; a UTF-16 copy is refused naming its encoding."""
    from chinchilla_lib.fitting.bnsl import read_authors_points

    x_true = np.arange(160, 960, 48)
    y_true = np.round(ONE_BREAK(x_true.astype(float)), 8)
    plain = _write_authors_layout(tmp_path, x_true, y_true)
    text = "# données de Caballero et al. — 4 chiffres\n" + plain.read_text()
    marked = tmp_path / "marked.py"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    x, y = read_authors_points(marked)
    np.testing.assert_array_equal(x, x_true.astype(float))
    np.testing.assert_allclose(y, y_true, rtol=0, atol=1e-12)
    wide = tmp_path / "wide.py"
    wide.write_bytes(text.encode("utf-16"))
    with pytest.raises(ValueError, match="UTF-16"):
        read_authors_points(wide)
    with pytest.raises(ValueError, match="cannot read"):
        read_authors_points(tmp_path / "missing.py")


@pytest.mark.parametrize("text, message", [
    ("import numpy as np\nx = np.array([1.0, 2.0])\n", "assign y"),
    ("import numpy as np\nx = [1.0, 2.0]\ny = [1.0, 2.0]\n", "assign x and y"),
    ("import numpy as np\nx = np.array([1.0, 2.0])\ny = np.array([1.0, 2.0, 3.0])\n",
     "same length"),
    ("import numpy as np\nx = np.array([1.0, -2.0])\ny = np.array([1.0, 2.0])\n", "x"),
    ("import numpy as np\nx = np.array([1.0, 2.0]\n", "does not parse"),
])
def test_read_authors_points_rejects_other_files(tmp_path, text, message):
    from chinchilla_lib.fitting.bnsl import read_authors_points

    path = tmp_path / "script.py"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_authors_points(path)
