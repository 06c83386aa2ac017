"""Colour checks for the book's palettes: colour-vision deficiency (CVD) and contrast.

Two questions, answered with numpy only:

1. Can a reader with a colour-vision deficiency still tell two palette colours apart?
   Each colour is simulated as seen with protanopia, deuteranopia or tritanopia and the
   simulated colours are compared with the CIEDE2000 colour difference
   (:func:`min_distances`).
2. Does a colour stand out from the page?  WCAG 2.x contrast ratio between two colours
   (:func:`contrast_ratio`).

Pipeline of the CVD check, for each colour::

    hex -> sRGB in [0, 1] -> linear RGB (IEC 61966-2-1 transfer curve)
        -> Machado et al. (2009) simulation matrix (severity 1, i.e. dichromacy),
           applied to LINEAR RGB, result clipped to [0, 1]
        -> CIE XYZ (sRGB primaries, D65) -> CIELAB (D65 white)
        -> CIEDE2000 difference for every pair of colours

References
----------
* G. M. Machado, M. M. Oliveira, L. A. F. Fernandes, "A Physiologically-based Model for
  Simulation of Color Vision Deficiency", IEEE Transactions on Visualization and Computer
  Graphics 15(6):1291-1298, 2009. doi:10.1109/TVCG.2009.113. The matrices below are the
  severity 1.0 rows of the authors' published table of pre-computed matrices (the same
  values ship with colour-science as ``CVD_MATRICES_MACHADO2010`` and with colorspacious).
* G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula: Implementation
  notes, supplementary test data, and mathematical observations", Color Research &
  Application 30(1):21-30, 2005. doi:10.1002/col.20070. Equation numbers in
  :func:`delta_e_2000` are theirs; :data:`SHARMA_TEST_PAIRS` is part of their Table 1.
* IEC 61966-2-1:1999 (sRGB): transfer function and RGB to XYZ matrix.
  CIE 15:2004: CIELAB.
* W3C, Web Content Accessibility Guidelines (WCAG) 2.2, definitions of "relative
  luminance" and "contrast ratio"; success criteria 1.4.3 (text, 4.5:1) and 1.4.11
  (graphical objects, 3:1).
* M. Okabe, K. Ito, "Color Universal Design (CUD): How to make figures and presentations
  that are friendly to colorblind people", 2008 (the palette the book's sector colours
  come from).

Usage::

    from osweek.analysis.colour import min_distances, contrast_ratio
    for pair in min_distances(["#0072B2", "#009E73", "#E69F00"]).values():
        print(pair)
    contrast_ratio("#0072B2", "#FFFFFF")

or ``python -m osweek.analysis.colour [#hex ...]`` (default: the book's sector colours).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CONDITIONS", "MACHADO_2009", "MinPair", "contrast_ratio", "delta_e_2000", "delta_e_76",
    "hex_to_lab", "min_distances", "pairwise_distances", "relative_luminance", "simulate",
]

# Machado, Oliveira & Fernandes (2009), severity 1.0. Apply to column vectors of LINEAR RGB:
# rgb_simulated = M @ rgb_linear.  Each row sums to 1 (to 3 decimals), so greys stay grey.
MACHADO_2009: dict[str, np.ndarray] = {
    "protanopia": np.array([
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ]),
    "deuteranopia": np.array([
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]),
    "tritanopia": np.array([
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ]),
}
CONDITIONS = ("normal", "protanopia", "deuteranopia", "tritanopia")

# Linear sRGB -> CIE XYZ, D65 (IEC 61966-2-1).
SRGB_TO_XYZ = np.array([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
])
# Reference white: XYZ of linear RGB (1, 1, 1), i.e. D65 (0.95047, 1.0, 1.08883).
WHITE_D65 = SRGB_TO_XYZ.sum(axis=1)


# -- conversions ------------------------------------------------------------------------------

def hex_to_srgb(colors: str | Iterable[str]) -> np.ndarray:
    """'#RRGGBB', 'RRGGBB' or '#RGB' (or a list of them) -> array (..., 3) in [0, 1]."""
    single = isinstance(colors, str)
    rows = []
    for color in [colors] if single else colors:
        h = color.strip().lstrip("#")
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        if len(h) != 6:
            raise ValueError(f"not a hex colour: {color!r}")
        rows.append([int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4)])
    arr = np.array(rows, dtype=float)
    return arr[0] if single else arr


def srgb_to_hex(rgb) -> str | list[str]:
    """sRGB in [0, 1] (one row or many) -> '#RRGGBB'."""
    rgb = np.clip(np.asarray(rgb, dtype=float), 0, 1)
    if rgb.ndim == 1:
        return "#" + "".join(f"{round(v * 255):02X}" for v in rgb)
    return [srgb_to_hex(row) for row in rgb]


def srgb_to_linear(rgb) -> np.ndarray:
    """IEC 61966-2-1 decoding: c/12.92 up to 0.04045, else ((c + 0.055)/1.055)^2.4."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(lin) -> np.ndarray:
    """IEC 61966-2-1 encoding (inverse of :func:`srgb_to_linear`), clipped to [0, 1]."""
    lin = np.clip(np.asarray(lin, dtype=float), 0, 1)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate_linear(lin, condition: str) -> np.ndarray:
    """Apply the Machado 2009 matrix of *condition* to linear RGB rows (..., 3); clip to [0, 1]."""
    lin = np.asarray(lin, dtype=float)
    if condition == "normal":
        return lin.copy()
    try:
        matrix = MACHADO_2009[condition]
    except KeyError:
        raise ValueError(f"unknown condition {condition!r}; one of {CONDITIONS}") from None
    return np.clip(lin @ matrix.T, 0.0, 1.0)


def simulate(colors: Iterable[str], condition: str) -> list[str]:
    """Hex colours as seen with *condition* ("protanopia", "deuteranopia", "tritanopia" or "normal")."""
    lin = srgb_to_linear(hex_to_srgb(list(colors)))
    return srgb_to_hex(linear_to_srgb(simulate_linear(lin, condition)))


def linear_to_lab(lin) -> np.ndarray:
    """Linear sRGB rows (..., 3) -> CIELAB (D65), CIE 15:2004."""
    t = (np.asarray(lin, dtype=float) @ SRGB_TO_XYZ.T) / WHITE_D65
    delta = 6 / 29
    f = np.where(t > delta**3, np.cbrt(t), t / (3 * delta**2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def hex_to_lab(colors: Iterable[str], condition: str = "normal") -> np.ndarray:
    """CIELAB of hex colours as seen with *condition*."""
    return linear_to_lab(simulate_linear(srgb_to_linear(hex_to_srgb(list(colors))), condition))


# -- colour differences -----------------------------------------------------------------------

def delta_e_76(lab1, lab2) -> np.ndarray:
    """CIE76: Euclidean distance in L*a*b*."""
    return np.linalg.norm(np.asarray(lab1, float) - np.asarray(lab2, float), axis=-1)


def delta_e_2000(lab1, lab2, kL: float = 1.0, kC: float = 1.0, kH: float = 1.0) -> np.ndarray:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005, eqs. 1-22), vectorised."""
    lab1, lab2 = np.asarray(lab1, dtype=float), np.asarray(lab2, dtype=float)
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]

    # (2)-(7): a' with the G factor, C', h' in degrees [0, 360) (0 when a' = b = 0)
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cbar7 = ((C1 + C2) / 2) ** 7
    G = 0.5 * (1 - np.sqrt(Cbar7 / (Cbar7 + 25.0**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.where((a1p == 0) & (b1 == 0), 0.0, np.degrees(np.arctan2(b1, a1p)) % 360)
    h2p = np.where((a2p == 0) & (b2 == 0), 0.0, np.degrees(np.arctan2(b2, a2p)) % 360)

    # (8)-(11): differences
    dLp = L2 - L1
    dCp = C2p - C1p
    zero_chroma = (C1p * C2p) == 0
    dh = h2p - h1p
    dhp = np.where(zero_chroma, 0.0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dhp) / 2)

    # (12)-(22): weighting functions and rotation term
    Lbarp = (L1 + L2) / 2
    Cbarp = (C1p + C2p) / 2
    hsum = h1p + h2p
    hbarp = np.where(zero_chroma, hsum,
                     np.where(np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    T = (1 - 0.17 * np.cos(np.radians(hbarp - 30)) + 0.24 * np.cos(np.radians(2 * hbarp))
         + 0.32 * np.cos(np.radians(3 * hbarp + 6)) - 0.20 * np.cos(np.radians(4 * hbarp - 63)))
    dtheta = 30 * np.exp(-(((hbarp - 275) / 25) ** 2))
    RC = 2 * np.sqrt(Cbarp**7 / (Cbarp**7 + 25.0**7))
    SL = 1 + 0.015 * (Lbarp - 50) ** 2 / np.sqrt(20 + (Lbarp - 50) ** 2)
    SC = 1 + 0.045 * Cbarp
    SH = 1 + 0.015 * Cbarp * T
    RT = -np.sin(np.radians(2 * dtheta)) * RC
    tL, tC, tH = dLp / (kL * SL), dCp / (kC * SC), dHp / (kH * SH)
    return np.sqrt(tL**2 + tC**2 + tH**2 + RT * tC * tH)


METRICS = {"ciede2000": delta_e_2000, "cie76": delta_e_76}

# (Lab1, Lab2, expected CIEDE2000): part of Sharma, Wu & Dalal (2005), Table 1.
SHARMA_TEST_PAIRS = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
]


# -- palette check ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MinPair:
    """The closest pair of a palette under one condition."""

    condition: str
    delta_e: float
    color_a: str  # the palette colours
    color_b: str
    seen_a: str   # how they look under the condition
    seen_b: str

    def __str__(self) -> str:
        return (f"{self.condition:13s} min dE = {self.delta_e:6.2f}  {self.color_a} vs {self.color_b} "
                f"(seen as {self.seen_a} vs {self.seen_b})")


def pairwise_distances(colors: Sequence[str], condition: str = "normal", metric: str = "ciede2000") -> dict[tuple[str, str], float]:
    """{(hex_a, hex_b): difference} for every unordered pair of *colors*, as seen with *condition*."""
    colors = list(colors)
    lab = hex_to_lab(colors, condition)
    fn = METRICS[metric]
    return {(colors[i], colors[j]): float(fn(lab[i], lab[j])) for i, j in itertools.combinations(range(len(colors)), 2)}


def min_distances(colors: Sequence[str], conditions: Iterable[str] = CONDITIONS, metric: str = "ciede2000") -> dict[str, MinPair]:
    """The closest pair of *colors* under each condition: {condition: MinPair}."""
    colors = list(colors)
    if len(colors) < 2:
        raise ValueError("need at least two colours")
    out = {}
    for condition in conditions:
        (a, b), d = min(pairwise_distances(colors, condition, metric).items(), key=lambda kv: kv[1])
        seen = dict(zip(colors, simulate(colors, condition), strict=True))
        out[condition] = MinPair(condition, d, a, b, seen[a], seen[b])
    return out


# -- WCAG contrast ----------------------------------------------------------------------------

def relative_luminance(color: str | Sequence[float]) -> float:
    """WCAG 2.x relative luminance of a hex colour or an (r, g, b) triple in 0-255."""
    rgb = hex_to_srgb(color) if isinstance(color, str) else np.asarray(color, dtype=float) / 255.0
    return float(srgb_to_linear(rgb) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(a: str | Sequence[float], b: str | Sequence[float]) -> float:
    """WCAG 2.x contrast ratio (1 to 21) of two opaque colours (hex or 0-255 triples)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


if __name__ == "__main__":  # python -m osweek.analysis.colour [#hex ...]
    import sys

    from .figures import SECTOR_COLORS

    palette = sys.argv[1:] or list(SECTOR_COLORS.values())
    print("palette:", " ".join(palette))
    for pair in min_distances(palette).values():
        print("  ", pair)
    for color in palette:
        print(f"   {color} contrast: {contrast_ratio(color, '#FFFFFF'):.2f} on white, {contrast_ratio(color, '#14181E'):.2f} on #14181E")
