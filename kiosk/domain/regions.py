"""Province-level codes of GB/T 2260: the first two digits of an identity number say where it
was issued, so a number whose first two digits name no province is a typing mistake."""

from __future__ import annotations

from kiosk.i18n import Bilingual, bi

MAINLAND_PROVINCES: dict[str, Bilingual] = {
    "11": bi("北京市", "Beijing"),
    "12": bi("天津市", "Tianjin"),
    "13": bi("河北省", "Hebei"),
    "14": bi("山西省", "Shanxi"),
    "15": bi("内蒙古自治区", "Inner Mongolia"),
    "21": bi("辽宁省", "Liaoning"),
    "22": bi("吉林省", "Jilin"),
    "23": bi("黑龙江省", "Heilongjiang"),
    "31": bi("上海市", "Shanghai"),
    "32": bi("江苏省", "Jiangsu"),
    "33": bi("浙江省", "Zhejiang"),
    "34": bi("安徽省", "Anhui"),
    "35": bi("福建省", "Fujian"),
    "36": bi("江西省", "Jiangxi"),
    "37": bi("山东省", "Shandong"),
    "41": bi("河南省", "Henan"),
    "42": bi("湖北省", "Hubei"),
    "43": bi("湖南省", "Hunan"),
    "44": bi("广东省", "Guangdong"),
    "45": bi("广西壮族自治区", "Guangxi"),
    "46": bi("海南省", "Hainan"),
    "50": bi("重庆市", "Chongqing"),
    "51": bi("四川省", "Sichuan"),
    "52": bi("贵州省", "Guizhou"),
    "53": bi("云南省", "Yunnan"),
    "54": bi("西藏自治区", "Xizang (Tibet)"),
    "61": bi("陕西省", "Shaanxi"),
    "62": bi("甘肃省", "Gansu"),
    "63": bi("青海省", "Qinghai"),
    "64": bi("宁夏回族自治区", "Ningxia"),
    "65": bi("新疆维吾尔自治区", "Xinjiang"),
}

# Resident ID numbers: the mainland plus 71 (Taiwan), which GB/T 2260 lists and some
# household registrations carry. 81/82 appear only as the fixed permit prefixes below.
RESIDENT_PROVINCES: dict[str, Bilingual] = {**MAINLAND_PROVINCES, "71": bi("台湾省", "Taiwan")}

# Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) replace the
# address code with one fixed six-digit prefix.
PERMIT_PREFIXES: dict[str, Bilingual] = {
    "810000": bi("香港", "Hong Kong"),
    "820000": bi("澳门", "Macao"),
    "830000": bi("台湾", "Taiwan"),
}


def province_name(code: str | None) -> Bilingual | None:
    """The province (or permit origin) of a region code, if the code names one."""
    if not code:
        return None
    return PERMIT_PREFIXES.get(code) or RESIDENT_PROVINCES.get(code[:2])
