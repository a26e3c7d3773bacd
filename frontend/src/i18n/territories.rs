//! The administrative-territorial division (KATO) as the dashboard names it.

use baqylau_wire::reference::TerritoryLevel;

texts! {
    /// Territories and their levels.
    pub struct Territories, Lang::territories {
        // Each text is [kk, ru, en].
        territory: ["Аумақ", "Территория", "Territory"],
        all_territories: ["Барлық аумақтар", "Все территории", "All territories"],
        search_hint: [
            "Атауы бойынша іздеу (қаз. не орыс.)",
            "Поиск по названию (каз. или рус.)",
            "Search by name (Kazakh or Russian)",
        ],
        none_found: ["Аумақ табылмады.", "Территория не найдена.", "No territory found."],
    }
}

impl Territories {
    /// What a territory of `level` is called ("District").
    pub fn level(&self, level: TerritoryLevel) -> &'static str {
        self.lang.text(match level {
            TerritoryLevel::Region => ["Облыс", "Область", "Region"],
            TerritoryLevel::District => ["Аудан", "Район", "District"],
            TerritoryLevel::City => ["Қала", "Город", "City"],
            TerritoryLevel::RuralOkrug => ["Ауылдық округ", "Сельский округ", "Rural okrug"],
            TerritoryLevel::Town => [
                "Аудандық маңызы бар қала",
                "Город районного значения",
                "Town",
            ],
            TerritoryLevel::CityTerritory => ["Қала аумағы", "Территория города", "City territory"],
            TerritoryLevel::Settlement => ["Елді мекен", "Населённый пункт", "Settlement"],
        })
    }
}
