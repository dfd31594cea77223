"""GB/T 3304 nation codes and names, as the ID card stores and prints them.

The card stores two ASCII digits (in UCS-2) and prints the short form ("汉", "土家"): that
is what `name` holds. The ID reader decodes the code; the employer batch sheet writes the
name, with or without 族.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import Bilingual


@dataclass(frozen=True)
class Nation:
    code: str
    name: Bilingual


_NATIONS: tuple[tuple[str, str, str], ...] = (
    ("01", "汉", "Han"),
    ("02", "蒙古", "Mongol"),
    ("03", "回", "Hui"),
    ("04", "藏", "Tibetan"),
    ("05", "维吾尔", "Uyghur"),
    ("06", "苗", "Miao"),
    ("07", "彝", "Yi"),
    ("08", "壮", "Zhuang"),
    ("09", "布依", "Buyei"),
    ("10", "朝鲜", "Korean"),
    ("11", "满", "Manchu"),
    ("12", "侗", "Dong"),
    ("13", "瑶", "Yao"),
    ("14", "白", "Bai"),
    ("15", "土家", "Tujia"),
    ("16", "哈尼", "Hani"),
    ("17", "哈萨克", "Kazakh"),
    ("18", "傣", "Dai"),
    ("19", "黎", "Li"),
    ("20", "傈僳", "Lisu"),
    ("21", "佤", "Va"),
    ("22", "畲", "She"),
    ("23", "高山", "Gaoshan"),
    ("24", "拉祜", "Lahu"),
    ("25", "水", "Sui"),
    ("26", "东乡", "Dongxiang"),
    ("27", "纳西", "Naxi"),
    ("28", "景颇", "Jingpo"),
    ("29", "柯尔克孜", "Kirgiz"),
    ("30", "土", "Tu"),
    ("31", "达斡尔", "Daur"),
    ("32", "仫佬", "Mulao"),
    ("33", "羌", "Qiang"),
    ("34", "布朗", "Blang"),
    ("35", "撒拉", "Salar"),
    ("36", "毛南", "Maonan"),
    ("37", "仡佬", "Gelao"),
    ("38", "锡伯", "Xibe"),
    ("39", "阿昌", "Achang"),
    ("40", "普米", "Pumi"),
    ("41", "塔吉克", "Tajik"),
    ("42", "怒", "Nu"),
    ("43", "乌孜别克", "Uzbek"),
    ("44", "俄罗斯", "Russian"),
    ("45", "鄂温克", "Ewenki"),
    ("46", "德昂", "De'ang"),
    ("47", "保安", "Bonan"),
    ("48", "裕固", "Yugur"),
    ("49", "京", "Gin"),
    ("50", "塔塔尔", "Tatar"),
    ("51", "独龙", "Derung"),
    ("52", "鄂伦春", "Oroqen"),
    ("53", "赫哲", "Hezhen"),
    ("54", "门巴", "Monba"),
    ("55", "珞巴", "Lhoba"),
    ("56", "基诺", "Jino"),
    ("97", "其他", "Other"),
    ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
)

NATIONS: dict[str, Nation] = {code: Nation(code, Bilingual(zh, en)) for code, zh, en in _NATIONS}


def nation_by_code(code: str) -> Nation | None:
    return NATIONS.get(code)


def nation_by_name(name: str) -> Nation | None:
    """The nation whose card name is `name` ("土家"); "土家族" is accepted too."""
    for nation in NATIONS.values():
        if name in (nation.name.zh, nation.name.zh + "族"):
            return nation
    return None
