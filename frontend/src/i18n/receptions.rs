//! Planning a reception, moving it along (held, postponed, cancelled, planned again)
//! and the month calendar.

use baqylau_wire::receptions::{ReceptionKind, ReceptionStatus};

texts! {
    /// Texts of the reception planning form, its moves and the calendar.
    pub struct Receptions, Lang::receptions {
        plan_title: ["Қабылдауды жоспарлау", "Запланировать приём", "Plan a reception"],
        plan_submit: ["Жоспарлау", "Запланировать", "Plan"],
        kind: ["Түрі", "Вид", "Kind"],
        organiser: ["Ұйымдастырушы аумақ", "Территория-организатор", "Organising territory"],
        places: ["Баратын елді мекендер", "Посещаемые населённые пункты", "Places visited"],
        place_to_add: ["Елді мекенді таңдаңыз", "Выберите населённый пункт", "Choose a place"],
        add_place: ["Қосу", "Добавить", "Add"],
        remove: ["Алып тастау", "Убрать", "Remove"],
        no_places: ["Әзірге елді мекен қосылған жоқ", "Пока не добавлено ни одного пункта", "No place added yet"],
        starts: ["Басталуы", "Начало", "Starts"],
        ends: ["Аяқталуы", "Окончание", "Ends"],
        local_time: ["Қазақстан уақыты", "Время Казахстана", "Kazakhstan time"],
        agenda: ["Күн тәртібі", "Повестка", "Agenda"],
        agenda_hint: ["Әр жолда бір мәселе", "По одному вопросу в строке", "One topic per line"],
        no_agenda: ["Күн тәртібі жоқ", "Повестки нет", "No agenda"],
        deputies: ["Жауапты депутаттар", "Ответственные депутаты", "Responsible deputies"],
        deputies_hint: [
            "Алғашқы елді мекенге бекітілген депутаттар",
            "Депутаты, закреплённые за первым пунктом",
            "The deputies assigned to the first place",
        ],
        deputies_after_place: [
            "Депутаттарды көру үшін елді мекен қосыңыз",
            "Добавьте пункт, чтобы увидеть его депутатов",
            "Add a place to see its deputies",
        ],
        no_deputies_here: ["Бұл жерге бекітілген депутат жоқ", "За этим пунктом депутаты не закреплены", "No deputy is assigned here"],
        agenda_not_saved: [
            "Қабылдау жоспарланды, бірақ күн тәртібі сақталмады:",
            "Приём запланирован, но повестка не сохранена:",
            "The reception is planned, but its agenda was not saved:",
        ],
        hold: ["Өткізілді деп белгілеу", "Отметить проведённым", "Record as held"],
        postpone: ["Кейінге қалдыру", "Перенести", "Postpone"],
        cancel_reception: ["Болдырмау", "Отменить приём", "Cancel the reception"],
        plan_again: ["Қайта жоспарлау", "Запланировать снова", "Plan again"],
        reason: ["Себебі", "Причина", "Reason"],
        new_dates_optional: [
            "Жаңа күндер белгісіз болса, бос қалдырыңыз",
            "Оставьте пустыми, если новые даты ещё неизвестны",
            "Leave empty if the new dates are not known yet",
        ],
        participants_count: ["Қатысушылар саны", "Число участников", "Participants"],
        summary: ["Қорытынды", "Итоги", "Summary"],
        issues_hint: ["Көтерілген мәселелер, әр жолда біреу", "Поднятые вопросы, по одному в строке", "Issues raised, one per line"],
        appeals_on_site: ["Орнында қабылданған өтініштер", "Обращения, принятые на месте", "Appeals taken on site"],
        proposals: ["Ұсыныстар", "Предложения", "Proposals"],
        calendar: ["Күнтізбе", "Календарь", "Calendar"],
        list: ["Тізім", "Список", "List"],
        previous_month: ["Алдыңғы ай", "Предыдущий месяц", "Previous month"],
        next_month: ["Келесі ай", "Следующий месяц", "Next month"],
        none_this_month: ["Бұл айда қабылдау жоқ", "В этом месяце приёмов нет", "No receptions this month"],
        weekdays: ["Дс Сс Ср Бс Жм Сб Жс", "Пн Вт Ср Чт Пт Сб Вс", "Mo Tu We Th Fr Sa Su"],
    }
}

impl Receptions {
    pub fn kind_name(&self, k: ReceptionKind) -> &'static str {
        self.lang.text(match k {
            ReceptionKind::MobileReception => {
                ["Көшпелі қабылдау", "Выездной приём", "Mobile reception"]
            }
            ReceptionKind::DebateClub => ["Пікірсайыс клубы", "Дебатный клуб", "Debate club"],
            ReceptionKind::PublicCouncil => {
                ["Қоғамдық кеңес", "Общественный совет", "Public council"]
            }
            ReceptionKind::BusinessReception => [
                "Кәсіпкерлерді қабылдау",
                "Приём предпринимателей",
                "Business reception",
            ],
            ReceptionKind::ControlCommission => [
                "Партиялық бақылау комиссиясы",
                "Комиссия партийного контроля",
                "Party control commission",
            ],
        })
    }

    /// The button that moves a reception to `to`.
    pub fn move_to(&self, to: ReceptionStatus) -> &'static str {
        match to {
            ReceptionStatus::Held => self.hold,
            ReceptionStatus::Postponed => self.postpone,
            ReceptionStatus::Cancelled => self.cancel_reception,
            ReceptionStatus::Planned => self.plan_again,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    #[test]
    fn seven_days_and_every_kind_named() {
        for lang in Lang::ALL {
            let t = lang.receptions();
            assert_eq!(t.weekdays.split(' ').count(), 7, "{lang:?}");
            for k in baqylau_wire::receptions::ReceptionKind::ALL {
                assert_ne!(t.kind_name(k), k.as_str(), "{lang:?}");
            }
        }
    }
}
