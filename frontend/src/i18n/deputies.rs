//! Deputies: the registry, one deputy with okrugs and rating, okrug coverage, ratings
//! and the recall-risk list.

use baqylau_wire::deputies::{MandateStatus, MaslikhatLevel, PartyRoleKind};

texts! {
    /// The deputies pages.
    pub struct Deputies, Lang::deputies {
        // Each text is [kk, ru, en].
        nav_deputies: ["Депутаттар", "Депутаты", "Deputies"],
        tab_registry: ["Тізілім", "Реестр", "Registry"],
        tab_coverage: ["Округтерді қамту", "Покрытие округов", "Okrug coverage"],
        tab_ratings: ["Рейтинг", "Рейтинг", "Ratings"],
        registry_title: ["Мәслихат депутаттары", "Депутаты маслихатов", "Maslikhat deputies"],
        full_name: ["Аты-жөні", "Ф. И. О.", "Full name"],
        level: ["Мәслихат деңгейі", "Уровень маслихата", "Maslikhat level"],
        all_levels: ["Барлық деңгейлер", "Все уровни", "All levels"],
        mandate_status: ["Мандат мәртебесі", "Статус мандата", "Mandate status"],
        all_statuses: ["Барлық мәртебелер", "Все статусы", "All statuses"],
        since: ["бастап", "с", "since"],
        mandate_reason: ["Негізі", "Основание", "Reason"],
        maslikhat_territory: ["Мәслихат аумағы", "Территория маслихата", "Maslikhat of"],
        electoral_okrug: ["Сайлау округі", "Избирательный округ", "Electoral okrug"],
        contacts: ["Байланыс", "Контакты", "Contact"],
        phone: ["Телефон", "Телефон", "Phone"],
        email: ["Электрондық пошта", "Электронная почта", "Email"],
        party_roles: ["Партиядағы рөлдері", "Роли в партии", "Party roles"],
        no_party_roles: ["Партиялық рөлдер жоқ.", "Партийных ролей нет.", "No party roles."],
        no_deputies: ["Депутаттар табылмады.", "Депутаты не найдены.", "No deputies found."],
        back_to_registry: ["← Депутаттар тізілімі", "← К реестру депутатов", "← Back to the registry"],
        okrugs_title: [
            "Жауапты округтері (уақыт бойынша)",
            "Закреплённые округа (по времени)",
            "Okrugs over time",
        ],
        okrug: ["Округ", "Округ", "Okrug"],
        starts_on: ["Басталуы", "Начало", "From"],
        ends_on: ["Аяқталуы", "Окончание", "To"],
        end_reason: ["Аяқталу себебі", "Причина окончания", "Why it ended"],
        open_ended: ["қазірге дейін", "по настоящее время", "ongoing"],
        current: ["Қазір", "Сейчас", "Now"],
        no_assignments: [
            "Депутатқа округ бекітілмеген.",
            "За депутатом не закреплено ни одного округа.",
            "The deputy has never been assigned an okrug.",
        ],
        rating_title: ["Айлық рейтинг", "Рейтинг за месяц", "Monthly rating"],
        month: ["Ай", "Месяц", "Month"],
        score: ["Балл", "Балл", "Score"],
        component: ["Көрсеткіш", "Показатель", "Component"],
        value: ["Мәні", "Значение", "Value"],
        weight: ["Салмағы", "Вес", "Weight"],
        points: ["Ұпай", "Очки", "Points"],
        snapshot: [
            "Ай жабылған: рейтинг сақталған суреттен алынды.",
            "Месяц закрыт: рейтинг взят из сохранённого среза.",
            "The month is over: read from the stored snapshot.",
        ],
        running: [
            "Ай әлі жүріп жатыр: рейтинг қазір есептелді.",
            "Месяц ещё идёт: рейтинг рассчитан сейчас.",
            "The month is still running: computed just now.",
        ],
        computed_at: ["Есептелген уақыты", "Рассчитано", "Computed at"],
        no_components: [
            "Бұл айда өлшенген жұмыс жоқ.",
            "За этот месяц нет измеренной работы.",
            "No measured work this month.",
        ],
        coverage_title: [
            "Депутатсыз қалған округтер",
            "Округа без закреплённого депутата",
            "Okrugs without a deputy",
        ],
        coverage_hint: [
            "Ауданды (немесе облысты) таңдаңыз: тізімде сол күні бірде-бір депутат бекітілмеген ауылдық округтер, қалалар мен қала аумақтары көрсетіледі.",
            "Выберите район (или область): в списке — сельские округа, города и территории городов, за которыми в этот день не закреплён ни один депутат.",
            "Choose a district (or region): listed are the rural okrugs, towns and city territories no deputy answers for on that day.",
        ],
        on_day: ["Күні", "На дату", "On"],
        needing_deputy: ["Депутат қажет", "Требуют депутата", "Need a deputy"],
        covered: ["Қамтылған", "Закреплено", "Covered"],
        uncovered: ["Қамтылмаған", "Без депутата", "Uncovered"],
        kato_code: ["ӘАОЖ коды", "Код КАТО", "KATO code"],
        territory_level: ["Түрі", "Тип", "Kind"],
        no_gaps: [
            "Барлық округтерге депутат бекітілген.",
            "За всеми округами закреплены депутаты.",
            "Every okrug has a deputy.",
        ],
        ratings_title: ["Депутаттар рейтингі", "Рейтинг депутатов", "Deputies' ratings"],
        rank: ["Орны", "Место", "Rank"],
        recall_risk_title: [
            "Кері шақыру қаупі",
            "Риск отзыва",
            "Recall risk",
        ],
        recall_risk_hint: [
            "Балы шектен төмен белсенді депутаттар",
            "Действующие депутаты с баллом ниже порога",
            "Active deputies scoring below the threshold",
        ],
        threshold: ["Шек", "Порог", "Threshold"],
        at_risk: ["Қауіп аймағында", "В зоне риска", "At risk"],
        no_recall_risk: [
            "Кері шақыру қаупінде депутат жоқ.",
            "Депутатов в зоне риска отзыва нет.",
            "No deputy is at risk of recall.",
        ],
        no_ratings: [
            "Бұл айға рейтинг жоқ.",
            "За этот месяц рейтингов нет.",
            "No ratings for this month.",
        ],
    }
}

// Exhaustive over the wire enums, so a value added to the API does not compile until it
// is translated here.
impl Deputies {
    pub fn level_name(&self, level: MaslikhatLevel) -> &'static str {
        self.lang.text(match level {
            MaslikhatLevel::Regional => [
                "Облыстық мәслихат",
                "Областной маслихат",
                "Regional maslikhat",
            ],
            MaslikhatLevel::City => ["Қалалық мәслихат", "Городской маслихат", "City maslikhat"],
            MaslikhatLevel::District => [
                "Аудандық мәслихат",
                "Районный маслихат",
                "District maslikhat",
            ],
        })
    }

    pub fn status_name(&self, status: MandateStatus) -> &'static str {
        self.lang.text(match status {
            MandateStatus::Active => ["Өкілеттігі бар", "Действующий", "Active"],
            MandateStatus::Suspended => ["Тоқтатыла тұрған", "Приостановлен", "Suspended"],
            MandateStatus::Recalled => ["Кері шақырылған", "Отозван", "Recalled"],
            MandateStatus::Ended => ["Өкілеттігі аяқталған", "Полномочия прекращены", "Ended"],
        })
    }

    pub fn party_role(&self, role: PartyRoleKind) -> &'static str {
        self.lang.text(match role {
            PartyRoleKind::PoliticalCouncil => [
                "Өңірлік саяси кеңес мүшесі",
                "Член регионального политсовета",
                "Member of the regional Political Council",
            ],
            PartyRoleKind::Bureau => ["Бюро мүшесі", "Член бюро", "Member of the Bureau"],
        })
    }

    /// A rating component. The API's names are plain strings, so one this build does not
    /// know is shown as the API spells it.
    pub fn component<'a>(&self, name: &'a str) -> &'a str {
        let names = match name {
            "appeals_on_time" => [
                "Мерзімінде шешілген өтініштер",
                "Обращения, решённые в срок",
                "Appeals resolved on time",
            ],
            "appeals_overdue" => [
                "Мерзімі өткен өтініштер",
                "Просроченные обращения",
                "Overdue appeals",
            ],
            "receptions_attended" => [
                "Қатысқан көшпелі қабылдаулар",
                "Проведённые выездные приёмы",
                "Mobile receptions attended",
            ],
            "indicators_done" => [
                "Орындалған көрсеткіштер",
                "Выполненные показатели",
                "Indicators done",
            ],
            "indicators_overdue" => [
                "Мерзімі өткен көрсеткіштер",
                "Просроченные показатели",
                "Indicators overdue",
            ],
            "satisfaction" => [
                "Азаматтардың қанағаттануы",
                "Удовлетворённость граждан",
                "Citizens' satisfaction",
            ],
            other => return other,
        };
        self.lang.text(names)
    }

    /// A month's name, in the nominative ("October", "октябрь", "қазан").
    pub fn month_name(&self, month: u32) -> &'static str {
        const KK: [&str; 12] = [
            "қаңтар",
            "ақпан",
            "наурыз",
            "сәуір",
            "мамыр",
            "маусым",
            "шілде",
            "тамыз",
            "қыркүйек",
            "қазан",
            "қараша",
            "желтоқсан",
        ];
        const RU: [&str; 12] = [
            "январь",
            "февраль",
            "март",
            "апрель",
            "май",
            "июнь",
            "июль",
            "август",
            "сентябрь",
            "октябрь",
            "ноябрь",
            "декабрь",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (month.clamp(1, 12) - 1) as usize;
        self.lang.text([KK[i], RU[i], EN[i]])
    }
}

#[cfg(test)]
mod tests {
    use baqylau_wire::deputies::{MandateStatus, MaslikhatLevel, PartyRoleKind};

    use crate::i18n::Lang;

    fn distinct(mut names: Vec<&str>) -> usize {
        names.sort_unstable();
        names.dedup();
        names.len()
    }

    #[test]
    fn every_value_has_its_own_name_in_every_language() {
        for lang in Lang::ALL {
            let t = lang.deputies();
            let levels = MaslikhatLevel::ALL.map(|l| t.level_name(l));
            assert_eq!(distinct(levels.to_vec()), levels.len(), "{lang:?}");
            let statuses = MandateStatus::ALL.map(|s| t.status_name(s));
            assert_eq!(distinct(statuses.to_vec()), statuses.len(), "{lang:?}");
            let roles = PartyRoleKind::ALL.map(|r| t.party_role(r));
            assert_eq!(distinct(roles.to_vec()), roles.len(), "{lang:?}");
            let months: Vec<&str> = (1..=12).map(|m| t.month_name(m)).collect();
            assert_eq!(distinct(months), 12, "{lang:?}");
            for s in MandateStatus::ALL {
                assert_ne!(t.status_name(s), s.as_str(), "{lang:?}");
            }
        }
    }

    #[test]
    fn every_published_component_is_translated() {
        // The names `GET /ratings/formula` publishes (wire::ratings::RatingComponent).
        let names = [
            "appeals_on_time",
            "appeals_overdue",
            "receptions_attended",
            "indicators_done",
            "indicators_overdue",
            "satisfaction",
        ];
        for lang in Lang::ALL {
            let t = lang.deputies();
            for name in names {
                assert_ne!(t.component(name), name, "{lang:?}: {name}");
            }
            let shown: Vec<&str> = names.iter().map(|n| t.component(n)).collect();
            assert_eq!(distinct(shown), names.len(), "{lang:?}");
            assert_eq!(t.component("new_one"), "new_one");
        }
    }
}
