//! One category vocabulary for every loss list.
//!
//! `tanks`, `armoured-vehicles`, `artillery`, `mlrs`, `air-defence`,
//! `aircraft`, `helicopters`, `drones`, `naval`, `trucks-vehicles`,
//! `engineering`, `command-radar-ew`, `anti-tank`, `other`.
//!
//! WarSpotting publishes a type per item; Oryx's scrape has only the system
//! name, so its category comes from keyword rules on that name. On the
//! 13,659 items both lists share (same proof URL) the rules agree with
//! WarSpotting's type for 92.4 % (12,621; `tests/real_categories.rs`); most
//! disagreements are WarSpotting's own (an MT-LB filed under tanks).

/// Ordered rules: the first whose any keyword occurs in the lower-cased
/// system name wins. Word-start anchors (`^`) match at the beginning only;
/// a key ending in `$` matches a whole word end ("tank", not "tanker").
const RULES: &[(&str, &[&str])] = &[
    (
        "trucks-vehicles",
        &["transloader", "reloader", "transporter-loader", "loader vehicle"],
    ),
    (
        "drones",
        &[
            "uav",
            "drone",
            "orlan",
            "zala",
            "lancet",
            "eleron",
            "forpost",
            "shahed",
            "geran",
            "supercam",
            "granat",
            "mohajer",
            "tachyon",
            "bayraktar",
            "leleka",
            "furia",
            "fury",
            "punisher",
            "flyeye",
            "warmate",
            "switchblade",
        ],
    ),
    (
        "naval",
        &[
            "project ",
            "class",
            "ship",
            "boat",
            "vessel",
            "tug",
            "submarine",
            "landing craft",
            "corvette",
            "frigate",
        ],
    ),
    ("helicopters", &["^mi-", "^ka-", "helicopter"]),
    (
        "aircraft",
        &[
            "^su-", "^mig-", "^tu-", "^il-", "^an-", "^be-", "^yak-", "a-50", "aircraft", "fighter", "bomber",
        ],
    ),
    (
        "air-defence",
        &[
            "buk",
            "tor-",
            " tor",
            "pantsir",
            "s-300",
            "s-400",
            "strela",
            "osa",
            "tunguska",
            "shilka",
            "zu-23",
            "zsu",
            "igla",
            "iris-t",
            "nasams",
            "patriot",
            "gepard",
            "stinger",
            "9k33",
            "9k35",
            "9k37",
            "9k330",
            "9k331",
            "9k332",
            "2k22",
            "9a310",
            "9a317",
            "anti-aircraft",
        ],
    ),
    (
        "mlrs",
        &[
            "bm-21",
            "bm-27",
            "bm-30",
            "tos-1",
            "tos-2",
            "grad",
            "uragan",
            "smerch",
            "tornado",
            "himars",
            "m270",
            "mlrs",
            "rocket launcher",
            "rm-70",
            "9k51",
            "9k57",
            "9k58",
            "vampire",
            "astros",
        ],
    ),
    (
        "anti-tank",
        &[
            "kornet",
            "konkurs",
            "metis",
            "fagot",
            "atgm",
            "9p148",
            "9p149",
            "9p162",
            "shturm",
            "khrizantema",
            "javelin",
            "stugna",
            "mt-12",
            "rapira",
            "anti-tank",
        ],
    ),
    (
        "command-radar-ew",
        &[
            "command",
            "communication",
            "radar",
            "jamm",
            "electronic warfare",
            "krasukha",
            "borisoglebsk",
            "leer",
            "zhitel",
            "repellent",
            "infauna",
            "pole-21",
            "zoopark",
            "aistyonok",
            "relay",
            "satcom",
            "station",
        ],
    ),
    (
        "engineering",
        &[
            "engineer",
            "bridge",
            "mine",
            "mtu",
            "imr",
            "bat-",
            "brem",
            "arv",
            "recovery",
            "excavator",
            "bulldozer",
            "ur-77",
            "pmp",
            "tmm",
            "gmz",
            "pontoon",
            "crane",
            "repair",
            "trench",
            "digging",
            "clearing",
            "decontamination",
            "pts-",
        ],
    ),
    (
        "tanks",
        &[
            "^t-",
            "leopard",
            "abrams",
            "challenger",
            "pt-91",
            "m-84",
            "m-55",
            // A word: "Unknown tank", not "Ural-4320 tanker" (a truck).
            " tank$",
        ],
    ),
    (
        "artillery",
        &[
            "mm ",
            "^2s",
            "msta",
            "akatsiya",
            "gvozdika",
            "giatsint",
            "pion",
            "malka",
            "howitzer",
            "d-30",
            "d-20",
            "m777",
            "caesar",
            "krab",
            "pzh",
            "m109",
            "zuzana",
            "dana",
            "mortar",
            "nona",
            "koalitsiya",
            "tyulpan",
            "archer",
            "bohdana",
            "as-90",
            "unknown spg",
            "towed artillery",
            " gun",
        ],
    ),
    (
        "armoured-vehicles",
        &[
            "bmp",
            "bmd",
            "btr",
            "mt-lb",
            "bmo",
            "brdm",
            "brm",
            "bts",
            "ifv",
            "apc",
            "mrap",
            "tigr",
            "typhoon",
            "linza",
            "spartak",
            "kozak",
            "bulat",
            "m113",
            "bradley",
            "marder",
            "stryker",
            "cv90",
            "mastiff",
            "maxxpro",
            "kirpi",
            "senator",
            "roshel",
            "novator",
            "bushmaster",
            "humvee",
            "hmmwv",
            "vpk",
            "patrul",
            "afv",
            "lmv",
            "rys",
            "akhmat",
            "vab",
            "saxon",
            "husky",
            "amx",
        ],
    ),
    (
        "trucks-vehicles",
        &[
            "truck",
            "kamaz",
            "ural",
            "gaz",
            "uaz",
            "zil",
            "maz",
            "kraz",
            "car",
            "jeep",
            "vehicle",
            "tanker",
            "fuel",
            "bus",
            "van",
            "motorcycle",
            "atv",
            "buggy",
            "pickup",
            "trailer",
            "tractor",
            "toyota",
            "hilux",
            "niva",
            "tatra",
            "iveco",
            "mercedes",
            "lada",
            "train",
        ],
    ),
];

/// The category of an Oryx system name.
///
/// ```
/// use frontline_ingest::losses::classify_system;
/// assert_eq!(classify_system("190 T-80BV"), "tanks");
/// assert_eq!(classify_system("204 Unknown tank"), "tanks");
/// assert_eq!(classify_system("Ural-4320 tanker"), "trucks-vehicles");
/// assert_eq!(classify_system("152mm 2S19 Msta-S"), "artillery");
/// assert_eq!(classify_system("9T452 transporter-loader (for BM-27 'Uragan')"), "trucks-vehicles");
/// assert_eq!(classify_system("'Orlan-10' reconnaissance UAV"), "drones");
/// ```
pub fn classify_system(system: &str) -> &'static str {
    let lower = system.to_lowercase();
    // Oryx prefixes many names with a running number ("190 T-80BV").
    let name = lower
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start()
        .replace(['\'', '"'], "");
    for (category, keys) in RULES {
        let hit = keys.iter().any(|k| match (k.strip_prefix('^'), k.strip_suffix('$')) {
            (Some(start), _) => name.starts_with(start),
            // `$`: the key ends a word.
            (None, Some(word)) => name
                .match_indices(word)
                .any(|(i, _)| !name[i + word.len()..].chars().next().is_some_and(char::is_alphanumeric)),
            (None, None) => name.contains(k),
        });
        if hit {
            return category;
        }
    }
    "other"
}

/// The category of a WarSpotting type.
pub fn warspotting_category(kind: &str) -> &'static str {
    match kind.trim() {
        "Tanks" => "tanks",
        "Infantry fighting vehicles" | "Infantry mobility vehicles" | "Armoured personnel carriers" => {
            "armoured-vehicles"
        }
        "Self-propelled artillery" | "Towed artillery" => "artillery",
        "Multiple rocket launchers" => "mlrs",
        "Anti-aircraft systems" => "air-defence",
        "Airplanes" => "aircraft",
        "Helicopters" => "helicopters",
        "Drones" => "drones",
        "Vessels" => "naval",
        "Transport" => "trucks-vehicles",
        "Engineering" => "engineering",
        "Command posts, communication" | "Radars, jammers" => "command-radar-ew",
        "Anti-tank systems" => "anti-tank",
        _ => "other",
    }
}
