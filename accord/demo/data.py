"""The demo directory: fictional organisations in real cities, and one demo user per role.

Everything here is invented (names, identifiers, people, addresses) except the cities, which are
real places found with ``accord.reference.cities.find_city``. Identifiers have valid shapes but
live under reserved ``example.edu`` / ``example.org`` domains so they cannot be mistaken for real
ones. Pure data and pure functions of it: the same content every time, nothing fetched.
"""

import random
from dataclasses import dataclass

DEMO_PASSWORD = "accord-demo"  # noqa: S105 (documented, for demos only; seed_demo prints a warning)
HOME_KEY = "aurora"
PARTNER_KEY = "turia"


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    """One organisation; ``key`` makes its SCHAC code, ``erasmus`` the city part of its Erasmus code."""

    key: str
    kind: str
    name: str
    abbreviation: str
    country: str
    city: str
    languages: tuple[str, ...]
    fields: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    erasmus: str = ""

    @property
    def schac_code(self) -> str:
        return f"{self.key}.example.{'edu' if self.kind == 'hei' else 'org'}"


def _parse(table: str) -> tuple[DemoOrganisation, ...]:
    """One organisation per line: key | kind | name | abbreviation | country | city | languages |
    fields (languages and fields separated by spaces, both optional)."""
    members: dict[str, list[str]] = {}
    for network, keys in NETWORK_MEMBERS.items():
        for key in keys:
            members.setdefault(key, []).append(network)
    organisations = []
    for line in table.strip().splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        cells += [""] * (8 - len(cells))
        key, kind, name, abbreviation, country, city, languages, fields = cells
        organisations.append(
            DemoOrganisation(
                key=key,
                kind=kind,
                name=name,
                abbreviation=abbreviation,
                country=country,
                city=city,
                languages=tuple(languages.split()),
                fields=tuple(fields.split()),
                networks=tuple(members.get(key, ())),
                erasmus=ERASMUS_CITY.get(key, ""),
            )
        )
    return tuple(organisations)


NETWORK_MEMBERS: dict[str, tuple[str, ...]] = {
    "lakeside-alliance": (
        "aurora",
        "vistula-tech",
        "spree",
        "rhone-alpes",
        "turia",
        "reno",
        "dijle",
        "vecht",
        "vltava",
        "liffey",
        "aegean-bay",
    ),
    "andes-amazon": (
        "tejo",
        "anahuac-valley",
        "central-valley-cr",
        "tiete",
        "rio-plata",
        "mapocho",
        "sabana",
        "rimac",
        "pichincha",
    ),
    "green-campus": (
        "malaren",
        "saga",
        "sumida",
        "han-river",
        "merlion",
        "red-river",
        "doi-suthep",
        "merapi",
        "visayas",
        "klang",
        "moreton-bay",
    ),
    "tatc": (
        "savanna",
        "volta",
        "table-bay",
        "lagoon",
        "cap-vert",
        "thousand-hills",
        "atlas",
        "entoto",
    ),
    "southern-cross": (
        "table-bay",
        "ontario-lakes",
        "tiete",
        "mapocho",
        "yarra",
        "moreton-bay",
        "waitemata",
        "pacific-islands",
    ),
}

# The city part of the Erasmus codes of European universities (the rest have none).
ERASMUS_CITY = {
    "aurora": "WARSZAW", "vistula-tech": "KRAKOW", "spree": "BERLIN",
    "isar": "MUNCHEN", "rhone-alpes": "LYON", "turia": "VALENCI",
    "reno": "BOLOGNA", "tejo": "LISBOA",
    "scheldt": "GENT", "dijle": "LEUVEN", "vecht": "UTRECHT", "danube-arts": "WIEN", "vltava": "PRAHA",
    "buda-hills": "BUDAPES", "malaren": "STOCKHO", "baltic-design": "HELSINK",
    "jutland": "AARHUS", "liffey": "DUBLIN", "emajogi": "TARTU", "neris": "VILNIUS", "sava": "LJUBLJA",
    "adriatic": "ZAGREB", "thermaic": "THESSAL", "somes": "CLUJNAP", "fjord": "BERGEN",
    "aegean-bay": "IZMIR", "saga": "REYKJAV",
}  # fmt: skip

# Networks come first (members refer to them). Then universities by continent, then schools,
# NGOs, agencies and companies.
ORGANISATIONS: tuple[DemoOrganisation, ...] = _parse(
    """
lakeside-alliance | network | Lakeside Universities Alliance | LUA | NL | Utrecht | en
southern-cross | network | Southern Cross Academic Network | SCAN | AU | Melbourne | en
tatc | network | Trans-Africa Teaching Consortium | TATC | RW | Kigali | en fr
green-campus | network | Pacific Rim Green Campus Network | PRGCN | SG | Singapore | en
andes-amazon | network | Andes–Amazon University Network | AAUN | CO | Bogotá | es pt
aurora | hei | Aurora University | AUW | PL | Warsaw | pl en | 0413 0611 0222 0531 0311
vistula-tech | hei | Vistula University of Technology | VUT | PL | Kraków | pl en | 0710 0714 0732 0613
spree | hei | Spree University of Applied Sciences | SUAS | DE | Berlin | de en | 0613 0212 0413
isar | hei | Isar Institute of Technology | IIT-M | DE | Munich | de en | 0714 0715 0533
rhone-alpes | hei | Université Rhône-Confluences | URC | FR | Lyon | fr en | 0912 0511 0421
turia | hei | Universidad del Turia | UT | ES | Valencia | es ca en | 0413 1015 0521 0232
reno | hei | Università degli Studi del Reno | USR | IT | Bologna | it en | 0222 0223 0421
tejo | hei | Universidade do Tejo | UTejo | PT | Lisbon | pt en | 0314 0321 0521
scheldt | hei | Scheldt University College | SUC | BE | Ghent | nl en | 0111 0114 0923
dijle | hei | Dijle University of Life Sciences | DULS | BE | Leuven | nl en fr | 0512 0912 0511
vecht | hei | Vecht University of Applied Sciences | VUAS | NL | Utrecht | nl en | 0413 0923 0613
danube-arts | hei | Danube University of Music and Arts | DUMA | AT | Vienna | de en | 0215 0213 0211
vltava | hei | Vltava Technical University | VTU | CZ | Prague | cs en | 0714 0613 0541
buda-hills | hei | Buda Hills University | BHU | HU | Budapest | hu en | 0311 0312 0222
malaren | hei | Mälaren Institute of Technology | MIT-S | SE | Stockholm | sv en | 0521 0713 0533
baltic-design | hei | Baltic University of Design | BUD | FI | Helsinki | fi sv en | 0212 0211 0613
jutland | hei | Jutland Business Academy | JBA | DK | Aarhus | da en | 0413 0414 0311
liffey | hei | Liffey College Dublin | LCD | IE | Dublin | en ga | 0232 0321 0421
emajogi | hei | Emajõgi University | EU-T | EE | Tartu | et en | 0511 0611 0223
neris | hei | Neris University of Health Sciences | NUHS | LT | Vilnius | lt en | 0912 0913 0915
sava | hei | Sava Faculty of Social Sciences | SFSS | SI | Ljubljana | sl en | 0312 0314 0321
adriatic | hei | Adriatic Polytechnic of Zagreb | APZ | HR | Zagreb | hr en | 0732 0731 1015
dardania | hei | Dardania University of Applied Sciences | DUAS | XK | Pristina | sq sr en | 0613 0413 0715
thermaic | hei | Thermaic University | ThU | GR | Thessaloniki | el en | 0222 0231 0811
somes | hei | Someș University of Medicine and Pharmacy | SUMP | RO | Cluj-Napoca | ro en hu | 0912 0916
fjord | hei | Fjord University College | FUC | NO | Bergen | nb en | 0521 0532 0841
aegean-bay | hei | Aegean Bay University | ABU | TR | Izmir | tr en | 0413 0613 1015
saga | hei | Saga Institute of Earth Sciences | SIES | IS | Reykjavik | is en | 0532 0521
limmat | hei | Limmat Institute of Finance | LIF | CH | Zürich | de en | 0412 0311
forth-arts | hei | Forth College of Art and Design | FCAD | GB | Edinburgh | en | 0213 0212 0211
savanna | hei | Savanna University of Technology | SUTech | KE | Nairobi | en sw | 0613 0713 0521
volta | hei | Volta University | VU | GH | Accra | en | 0311 0421 0912
table-bay | hei | Table Bay University | TBU | ZA | Cape Town | en af | 0521 0533 0232
lagoon | hei | Lagoon City University | LCU | NG | Lagos | en yo | 0413 0613 0211
cap-vert | hei | Université du Cap-Vert | UCV | SN | Dakar | fr wo | 0923 0222 0312
thousand-hills | hei | University of the Thousand Hills | UTH | RW | Kigali | en fr rw | 0111 0613 0912
atlas | hei | Atlas University of Marrakesh | AUM | MA | Marrakesh | ar fr | 1015 0731 0222
entoto | hei | Entoto University | EnU | ET | Addis Ababa | am en | 0811 0912 0532
sumida | hei | Sumida University | SumU | JP | Tokyo | ja en | 0714 0613 0311
han-river | hei | Han River University | HRU | KR | Seoul | ko en | 0613 0714 0413
deccan | hei | Deccan Institute of Science | DIS | IN | Bangalore | en hi kn | 0613 0533 0511
merlion | hei | Merlion Institute of Technology | MerIT | SG | Singapore | en zh ms | 0613 0714 0521
red-river | hei | Red River University of Technology | RRUT | VN | Hanoi | vi en | 0714 0732 0311
doi-suthep | hei | Doi Suthep University | DSU | TH | Chiang Mai | th en | 0811 1015 0521
merapi | hei | Merapi University | MU | ID | Yogyakarta | id en | 0532 0222 0111
tien-shan | hei | Tien Shan University | TSU | KZ | Almaty | kk ru en | 0311 0541 0724
citadel | hei | Citadel University of Amman | CUA | JO | Amman | ar en | 0731 0912 0222
visayas | hei | Visayas State College | VSC | PH | Cebu City | en tl | 0913 0111 1015
klang | hei | Klang Valley University | KVU | MY | Kuala Lumpur | ms en | 0413 0613 0412
ontario-lakes | hei | Lakes University of Ontario | LUO | CA | Toronto | en fr | 0613 0312 0521
colorado-river | hei | Colorado River University | CRU | US | Austin | en es | 0613 0714 0413
anahuac-valley | hei | Universidad del Valle del Anáhuac | UVA | MX | Mexico City | es en | 0222 0312 0731
central-valley-cr | hei | Universidad del Valle Central | UVC | CR | San José | es en | 0521 0811 1015
tiete | hei | Universidade do Tietê | UTiê | BR | São Paulo | pt en | 0912 0311 0613
rio-plata | hei | Universidad del Río de la Plata | URP | AR | Buenos Aires | es en | 0313 0421 0222
mapocho | hei | Universidad del Mapocho | UMap | CL | Santiago | es en | 0532 0731 0311
sabana | hei | Universidad de la Sabana Alta | USA-B | CO | Bogotá | es en | 0413 0312 0912
rimac | hei | Universidad del Rímac | UR | PE | Lima | es qu | 0222 0811 0111
pichincha | hei | Universidad Andina de Pichincha | UAP | EC | Quito | es | 0521 0511
yarra | hei | Yarra University | YU | AU | Melbourne | en | 0613 0912 0413
moreton-bay | hei | Moreton Bay University of Technology | MBUT | AU | Brisbane | en | 0714 0521
waitemata | hei | Waitematā University | WU | NZ | Auckland | en mi | 0521 0111 0811
pacific-islands | hei | Pacific Islands University College | PIUC | FJ | Suva | en fj | 0521 0111
vistula-lyceum | school | Vistula Bilingual Lyceum | VBL | PL | Warsaw | pl en
spree-gymnasium | school | Spree International Gymnasium | SIG | DE | Berlin | de en
lycee-confluences | school | Lycée des Confluences | LdC | FR | Lyon | fr
instituto-albufera | school | Instituto Albufera | IA | ES | Valencia | es ca
harambee-school | school | Harambee Secondary School | HSS | KE | Nairobi | en sw
sakura-high | school | Sakura International High School | SIHS | JP | Kyoto | ja en
maple-ridge | school | Maple Ridge Collegiate | MRC | CA | Toronto | en fr
kowhai-college | school | Kōwhai College | KC | NZ | Wellington | en mi
bridges-learning | ngo | Bridges for Learning Foundation | BfL | BE | Leuven | en fr nl | 0111 0923
open-lab-africa | ngo | Open Lab Africa | OLA | GH | Accra | en | 0613 0111
ruta-verde | ngo | Fundación Ruta Verde | FRV | CL | Valparaíso | es | 0521
mentor-mosaic | ngo | Mentor Mosaic | MM | US | Boston | en es | 0923
kindred-skills | ngo | Kindred Skills Trust | KST | IN | Pune | en hi | 0031 0111
reef-keepers | ngo | Reef Keepers Institute | RKI | AU | Perth | en | 0521 0522
pl-mobility-agency | agency | National Agency for Academic Mobility (fictional) | NAAM | PL | Warsaw | pl en
ke-skills-council | agency | Kenya Skills and Exchanges Council (fictional) | KSEC | KE | Nairobi | en sw
br-cooperation-office | agency | Escritório de Cooperação Acadêmica (fictício) | ECA | BR | São Paulo | pt
jp-exchange-bureau | agency | Bureau for International Study Exchange (fictional) | BISE | JP | Tokyo | ja en
northwind-robotics | company | Northwind Robotics | NWR | DE | Munich | de en | 0714 0613
lumen-analytics | company | Lumen Analytics | Lumen | PT | Porto | pt en | 0613 0542
greenfield-agro | company | Greenfield Agro Solutions | GAS | KE | Nairobi | en | 0811
maple-learning | company | Maple Learning Systems | MLS | CA | Vancouver | en fr | 0611 0111
"""
)

# The GeoNames ids that ``find_city(city, country)`` gives for the cities above, written out so
# that seeding needs only the quick id table, not the name index (seconds to build). A test checks
# that every entry still agrees with ``find_city``; a city missing here is looked up by name.
CITY_IDS: dict[tuple[str, str], int] = {
    ("AR", "Buenos Aires"): 3435910, ("AR", "Córdoba"): 3860259, ("AT", "Vienna"): 2761369,
    ("AU", "Brisbane"): 2174003, ("AU", "Melbourne"): 2158177, ("AU", "Perth"): 2063523,
    ("BE", "Ghent"): 2797656, ("BE", "Leuven"): 2792482, ("BR", "Porto Alegre"): 3452925,
    ("BR", "São Paulo"): 3448439, ("CA", "Montréal"): 6077243, ("CA", "Toronto"): 6167865,
    ("CA", "Vancouver"): 6173331, ("CH", "Zürich"): 2657896, ("CL", "Santiago"): 3871336,
    ("CL", "Valparaíso"): 3868626, ("CO", "Bogotá"): 3688689, ("CR", "San José"): 3621849,
    ("CZ", "Brno"): 3078610, ("CZ", "Prague"): 3067696, ("DE", "Berlin"): 2950159,
    ("DE", "Munich"): 2867714, ("DK", "Aarhus"): 2624652, ("EC", "Quito"): 3652462,
    ("EE", "Tartu"): 588335, ("ES", "Madrid"): 3117735, ("ES", "Valencia"): 2509954,
    ("ET", "Addis Ababa"): 344979, ("FI", "Helsinki"): 658225, ("FJ", "Suva"): 2198148,
    ("FR", "Lyon"): 2996944, ("FR", "Toulouse"): 2972315, ("GB", "Edinburgh"): 2650225,
    ("GH", "Accra"): 2306104, ("GH", "Kumasi"): 2298890, ("GR", "Thessaloniki"): 734077,
    ("HR", "Zagreb"): 3186886, ("HU", "Budapest"): 3054643, ("ID", "Yogyakarta"): 1621177,
    ("IE", "Dublin"): 2964574, ("IN", "Bangalore"): 1277333, ("IN", "Pune"): 1259229,
    ("IS", "Reykjavik"): 3413829, ("IT", "Bologna"): 3181928, ("IT", "Turin"): 3165524,
    ("JO", "Amman"): 250441, ("JP", "Kyoto"): 1857910, ("JP", "Tokyo"): 1850147, ("KE", "Mombasa"): 186301,
    ("KE", "Nairobi"): 184745, ("KR", "Busan"): 1838524, ("KR", "Seoul"): 1835848,
    ("KZ", "Almaty"): 1526384, ("LT", "Vilnius"): 593116, ("MA", "Marrakesh"): 2542997,
    ("MX", "Guadalajara"): 4005539, ("MX", "Mexico City"): 3530597, ("MY", "Kuala Lumpur"): 1735161,
    ("NG", "Lagos"): 2332459, ("NL", "Utrecht"): 2745912, ("NO", "Bergen"): 3161732,
    ("NZ", "Auckland"): 2193733, ("NZ", "Wellington"): 2179537, ("PE", "Lima"): 3936456,
    ("PH", "Cebu City"): 1717512, ("PL", "Gdańsk"): 3099434, ("PL", "Kraków"): 3094802,
    ("PL", "Warsaw"): 756135, ("PT", "Lisbon"): 2267057, ("PT", "Porto"): 2735943,
    ("RO", "Cluj-Napoca"): 681290, ("RW", "Kigali"): 202061, ("SE", "Stockholm"): 2673730,
    ("SG", "Singapore"): 1880252, ("SI", "Ljubljana"): 3196359, ("SN", "Dakar"): 2253354,
    ("TH", "Chiang Mai"): 1153671, ("TR", "Izmir"): 311046, ("US", "Austin"): 4671654,
    ("US", "Boston"): 4930956, ("VN", "Hanoi"): 1581130, ("XK", "Pristina"): 786714,
    ("ZA", "Cape Town"): 3369157, ("ZA", "Stellenbosch"): 3361025,
}  # fmt: skip

# Erasmus country prefixes (spaces are re-added by the normaliser).
ERASMUS_PREFIX = {
    "PL": "PL", "DE": "D", "FR": "F", "ES": "E", "IT": "I", "PT": "P", "BE": "B", "NL": "NL", "AT": "A",
    "CZ": "CZ", "HU": "HU", "SE": "S", "FI": "SF", "DK": "DK", "IE": "IRL", "EE": "EE", "LT": "LT",
    "SI": "SI", "HR": "HR", "GR": "G", "RO": "RO", "NO": "N", "TR": "TR", "IS": "IS",
}  # fmt: skip

DIAL_CODES = {
    "PL": "48", "DE": "49", "FR": "33", "ES": "34", "IT": "39", "PT": "351", "BE": "32", "NL": "31",
    "AT": "43", "CZ": "420", "HU": "36", "SE": "46", "FI": "358", "DK": "45", "IE": "353", "EE": "372",
    "LT": "370", "SI": "386", "HR": "385", "XK": "383", "GR": "30", "RO": "40", "NO": "47", "TR": "90",
    "IS": "354",
    "CH": "41", "GB": "44", "KE": "254", "GH": "233", "ZA": "27", "NG": "234", "SN": "221", "RW": "250",
    "MA": "212", "ET": "251", "JP": "81", "KR": "82", "IN": "91", "SG": "65", "VN": "84", "TH": "66",
    "ID": "62", "KZ": "7", "JO": "962", "PH": "63", "MY": "60", "CA": "1", "US": "1", "MX": "52",
    "CR": "506", "BR": "55", "AR": "54", "CL": "56", "CO": "57", "PE": "51", "EC": "593", "UY": "598",
    "AU": "61", "NZ": "64", "FJ": "679",
}  # fmt: skip

# Given and family names by region: fictional people with names common where they work.
_NAMES = {
    "pl": (
        "Agnieszka Tomasz Katarzyna Piotr Magdalena Michał",
        "Nowak Wiśniewska Kowalczyk Zielińska Lewandowski Dąbrowska",
    ),
    "de": ("Anna Lukas Sophie Jonas Miriam Felix", "Becker Hoffmann Schulz Wagner Krüger Vogel"),
    "fr": ("Camille Julien Élodie Mathieu Claire Antoine", "Moreau Lefèvre Girard Bonnet Rousseau Fontaine"),
    "es": ("Lucía Javier Marta Alejandro Carmen Diego", "García Martínez Romero Navarro Ortega Delgado"),
    "pt": ("Beatriz João Inês Rafael Mariana Tiago", "Silva Santos Oliveira Costa Ferreira Almeida"),
    "it": ("Giulia Marco Chiara Luca Francesca Matteo", "Rossi Bianchi Ferrari Esposito Romano Colombo"),
    "nl": ("Sanne Daan Eva Bram Lotte Ruben", "Jansen Visser Peeters Claes Maes Smits"),
    "nordic": ("Ingrid Erik Maja Anders Sofie Mikkel", "Johansson Nilsen Lindqvist Virtanen Hansen Berg"),
    "cee": ("Tereza Bence Ana Luka Kristiina Eleni", "Novotná Kovács Popescu Horvat Tamm Papadopoulou"),
    "tr": ("Elif Emre Zeynep Can Ayşe Mert", "Yılmaz Demir Kaya Şahin Çelik Aydın"),
    "en": ("Olivia James Amelia Noah Grace Liam", "Smith Taylor Brown Wilson Walsh Thompson"),
    "africa-east": ("Wanjiru Otieno Amina Baraka Aster Mugisha", "Kamau Ochieng Mutua Tesfaye Uwase Njoroge"),
    "africa-west": ("Ama Kwame Chiamaka Moussa Efua Tunde", "Mensah Owusu Adeyemi Diop Boateng Okafor"),
    "africa-south": (
        "Thandi Pieter Lerato Sipho Anri Naledi",
        "Nkosi Vermeulen Dlamini Botha Mokoena Jacobs",
    ),
    "arab": ("Leila Omar Nour Youssef Salma Karim", "Haddad Amrani Khoury Benali Nasser Mansour"),
    "ja": ("Yuki Haruto Aoi Sota Mei Ren", "Sato Suzuki Takahashi Tanaka Watanabe Ito"),
    "ko": ("Ji-woo Min-jun Seo-yeon Do-hyun Ha-eun Joon", "Kim Lee Park Choi Jung Kang"),
    "in": ("Priya Arjun Ananya Rohan Kavya Vikram", "Sharma Iyer Patel Kulkarni Reddy Deshpande"),
    "sea": ("Linh Arief Siti Somchai Maria Wei", "Nguyen Santoso Abdullah Srisuk Reyes Tan"),
    "kz": ("Aigerim Nurlan Dana Yerlan Madina Arman", "Nurlanova Sadykov Bekova Tulegenov Akhmetova Omarov"),
    "latam": (
        "Valentina Mateo Camila Santiago Daniela Sebastián",
        "Rodríguez Gómez Fernández López Pérez Torres",
    ),
    "pacific": ("Aroha Tane Mere Sione Losana Wiremu", "Ngata Tupou Walker Raikadroka Parata Fonoti"),
}  # fmt: skip
_REGION_OF_COUNTRY = {
    "PL": "pl", "DE": "de", "AT": "de", "CH": "de", "FR": "fr", "ES": "es", "PT": "pt", "BR": "pt",
    "IT": "it", "NL": "nl", "BE": "nl", "SE": "nordic", "FI": "nordic", "DK": "nordic", "NO": "nordic",
    "IS": "nordic", "CZ": "cee", "HU": "cee", "RO": "cee", "HR": "cee", "SI": "cee", "EE": "cee",
    "LT": "cee", "GR": "cee", "XK": "cee",
    "TR": "tr", "GB": "en", "IE": "en", "US": "en", "CA": "en", "AU": "en",
    "KE": "africa-east", "RW": "africa-east", "ET": "africa-east", "GH": "africa-west", "NG": "africa-west",
    "SN": "africa-west", "ZA": "africa-south", "MA": "arab", "JO": "arab", "JP": "ja", "KR": "ko",
    "IN": "in", "SG": "sea", "VN": "sea", "TH": "sea", "ID": "sea", "PH": "sea", "MY": "sea", "KZ": "kz",
    "MX": "latam", "CR": "latam", "AR": "latam", "CL": "latam", "CO": "latam", "PE": "latam",
    "EC": "latam", "UY": "latam", "NZ": "pacific", "FJ": "pacific",
}  # fmt: skip

_STREETS = {
    "pl": "ul. Ogrodowa {n}", "de": "Lindenstraße {n}", "fr": "{n} rue des Tilleuls",
    "es": "Calle del Olivo {n}", "pt": "Rua das Flores {n}", "it": "Via dei Tigli {n}", "nl": "Lindelaan {n}",
}  # fmt: skip
_DEFAULT_STREET = "{n} University Avenue"


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: str  # a Role value, or "staff" for the platform operator
    organisation_key: str | None
    first_name: str
    last_name: str
    language: str = ""  # the language saved on the profile; blank follows the browser


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-staff", "staff", None, "Sam", "Operator"),
    DemoUser("demo-admin", "admin", HOME_KEY, "Alicja", "Nowakowska"),
    DemoUser("demo-coordinator", "coordinator", HOME_KEY, "Tomasz", "Wiśniewski"),
    DemoUser("demo-teacher", "teacher", HOME_KEY, "Magdalena", "Zielińska"),
    DemoUser("demo-student", "student", HOME_KEY, "Kacper", "Lewandowski"),
    DemoUser("demo-viewer", "viewer", HOME_KEY, "Ewa", "Kamińska"),
    # The partner's coordinator reads Accord, and its e-mails, in Spanish.
    DemoUser("demo-partner", "coordinator", PARTNER_KEY, "Lucía", "Navarro", language="es"),
)


# --- Derived content: pure functions of the rows above, seeded by each organisation's key ---------

_ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def _rng(key: str, purpose: str) -> random.Random:
    return random.Random(f"{purpose}:{key}")


def ror_id(index: int, key: str) -> str:
    """A syntactically valid ROR id (mod 97-10 check digits), unique per index. Fictional."""
    rng = _rng(key, "ror")
    body = _ROR_ALPHABET[index // 32 % 32] + _ROR_ALPHABET[index % 32]
    body += "".join(rng.choice(_ROR_ALPHABET) for _ in range(4))
    number = 0
    for char in body:
        number = number * 32 + _ROR_ALPHABET.index(char)
    return f"0{body}{98 - (number * 100) % 97:02d}"


def pic(index: int) -> str:
    """A 9-digit PIC; the 89… range keeps them apart from one another. Fictional."""
    return f"89{index:03d}{(index * 7919) % 10000:04d}"


def oid(index: int) -> str:
    """An Erasmus+ Organisation ID: E and eight digits; the E1… range keeps them apart. Fictional."""
    return f"E1{index:03d}{(index * 7919) % 10000:04d}"


def erasmus_code(spec: DemoOrganisation, index: int) -> str:
    return f"{ERASMUS_PREFIX[spec.country]} {spec.erasmus}{60 + index % 40:02d}"


def region(spec: DemoOrganisation) -> str:
    return _REGION_OF_COUNTRY[spec.country]


def street_address(spec: DemoOrganisation) -> str:
    number = _rng(spec.key, "street").randint(1, 120)
    return _STREETS.get(region(spec), _DEFAULT_STREET).format(n=number)


def postal_code(spec: DemoOrganisation) -> str:
    digits = f"{_rng(spec.key, 'postal').randint(10000, 99999)}"
    return f"{digits[:2]}-{digits[2:]}" if spec.country == "PL" else digits


def people(spec: DemoOrganisation, count: int) -> list[tuple[str, str]]:
    given, family = (names.split() for names in _NAMES[region(spec)])
    rng = _rng(spec.key, "people")
    return list(zip(rng.sample(given, count), rng.sample(family, count), strict=True))


def phone(spec: DemoOrganisation, serial: int) -> str:
    local = _rng(spec.key, f"phone{serial}").randint(20_000_000, 99_999_999)
    return f"+{DIAL_CODES[spec.country]}{local}"
