//! The server's problem `code`s (and field errors' `code`s) in the person's language.
//! The server's English `detail`/`message` is the fallback for a code not listed here,
//! e.g. one a newer server added.

use super::Lang;

/// A whole problem, by its `code`.
pub fn problem(lang: Lang, code: &str) -> Option<&'static str> {
    Some(lang.text(match code {
        "unauthorized" => [
            "Кіру қажет немесе деректер қате.",
            "Требуется вход или данные неверны.",
            "Please sign in; the credentials were not accepted.",
        ],
        "forbidden" => [
            "Бұл әрекетке рұқсатыңыз жоқ.",
            "У вас нет прав на это действие.",
            "You may not do this.",
        ],
        "not_found" => [
            "Табылмады немесе сіздің аумағыңыздан тыс.",
            "Не найдено или вне вашей территории.",
            "Not found, or outside your territory.",
        ],
        "invalid_transition" => [
            "Бұл мәртебеге көшіру мүмкін емес.",
            "Такой переход статуса невозможен.",
            "This status change is not allowed.",
        ],
        "precondition_failed" => [
            "Мұны біреу өзгертіп үлгерді — бетті қайта жүктеңіз.",
            "Кто-то уже изменил эту запись — обновите страницу.",
            "Someone changed this meanwhile — reload.",
        ],
        "precondition_required" => [
            "Нұсқасы көрсетілмеген — бетті қайта жүктеңіз.",
            "Не указана версия — обновите страницу.",
            "The version is missing — reload.",
        ],
        "validation_failed" => [
            "Белгіленген өрістерді түзетіңіз.",
            "Исправьте отмеченные поля.",
            "Please correct the marked fields.",
        ],
        "rate_limited" => [
            "Тым көп әрекет. Біраздан соң қайталаңыз.",
            "Слишком много попыток. Повторите позже.",
            "Too many attempts. Try again later.",
        ],
        "service_unavailable" => [
            "Сервер уақытша қолжетімсіз.",
            "Сервер временно недоступен.",
            "The server is temporarily unavailable.",
        ],
        "internal_error" => [
            "Сервер қатесі. Кейінірек қайталаңыз.",
            "Ошибка сервера. Повторите позже.",
            "Server error. Try again later.",
        ],
        "payload_too_large" => [
            "Файл тым үлкен.",
            "Файл слишком большой.",
            "The file is too large.",
        ],
        "participant_busy" => [
            "Қатысушы осы уақытта басқа қабылдауда.",
            "Участник в это время занят на другом приёме.",
            "A participant is booked elsewhere at that time.",
        ],
        "unsupported_media_type" => [
            "Бұл пішімдегі дерек қабылданбайды.",
            "Данные в этом формате не принимаются.",
            "This kind of content is not accepted.",
        ],
        "malformed_json" => [
            "Сұраныс оқылмады: деректер бүлінген.",
            "Запрос не прочитан: данные повреждены.",
            "The request could not be read: its data is damaged.",
        ],
        "invalid_cursor" => [
            "Тізім ескірді — бірінші беттен бастаңыз.",
            "Список устарел — начните с первой страницы.",
            "The list has moved on — start again from the first page.",
        ],
        "idempotency_key_reused" => [
            "Бұл сұраныс басқа деректермен жіберілген еді — қайта толтырыңыз.",
            "Этот запрос уже отправлялся с другими данными — заполните заново.",
            "This request was already sent with other data — fill it in again.",
        ],
        "email_taken" => [
            "Бұл электрондық поштамен пайдаланушы бар.",
            "Пользователь с такой почтой уже есть.",
            "A user with this email already exists.",
        ],
        "deputy_taken" => [
            "Бұл депутатқа басқа пайдаланушы байланған.",
            "К этому депутату уже привязан другой пользователь.",
            "Another user is already linked to this deputy.",
        ],
        "kato_code_taken" => [
            "Мұндай ҚАТО коды бар аумақ бар.",
            "Территория с таким кодом КАТО уже есть.",
            "A territory with this KATO code exists.",
        ],
        "assignment_overlap" => [
            "Депутат бұл аумаққа осы кезеңге бекітілген.",
            "Депутат уже закреплён за этой территорией на это время.",
            "The deputy is already assigned to this territory for that time.",
        ],
        "already_ended" => [
            "Бекіту аяқталған — жаңасын жасаңыз.",
            "Закрепление завершено — создайте новое.",
            "The assignment has ended — make a new one.",
        ],
        "reception_closed" => [
            "Қабылдау жабық: өтініштер тек жоспарланған не өткен қабылдауда алынады.",
            "Приём закрыт: обращения принимаются только на запланированном или проведённом приёме.",
            "The reception is closed: appeals are taken only at a planned or held reception.",
        ],
        "reception_has_appeals" => [
            "Бұл қабылдауға өтініштер байланған, оны жоюға болмайды.",
            "К приёму привязаны обращения, удалить его нельзя.",
            "Appeals name this reception; it cannot be deleted.",
        ],
        "topic_in_use" => [
            "Бұл тақырып бойынша ұсыныстар бар — күн тәртібінде қалдырыңыз.",
            "По этой теме есть предложения — оставьте её в повестке.",
            "Proposals were made under this topic; keep it on the agenda.",
        ],
        "protocol_full" => [
            "Хаттамадағы ұсыныстар саны шегіне жетті.",
            "В протоколе достигнут предел предложений.",
            "The protocol holds no more proposals.",
        ],
        "proposal_closed" => [
            "Ұсыныс жабық: тек ашық не қабылданған ұсыныс бақылауға алынады.",
            "Предложение закрыто: на контроль берутся только открытые или принятые.",
            "The proposal is closed: only an open or accepted one is taken under control.",
        ],
        "proposal_taken" => [
            "Бұл ұсыныс бақылауға алынып қойған.",
            "Это предложение уже на контроле.",
            "This proposal is already under control.",
        ],
        "proposal_under_control" => [
            "Ұсыныс бақылауда: оның тағдырын өтініш шешеді.",
            "Предложение на контроле: его судьбу решает обращение.",
            "The proposal is under control: its appeal decides its fate.",
        ],
        "not_resolved" => [
            "Тек жауап берілген өтінішті бағалауға болады.",
            "Оценить можно только обращение, по которому дан ответ.",
            "Only an answered appeal can be rated.",
        ],
        "feedback_answered" => [
            "Азамат бұл өтінішті бағалап қойған.",
            "Гражданин уже оценил это обращение.",
            "The citizen has already rated this appeal.",
        ],
        "feedback_used" => [
            "Сілтеме пайдаланылған немесе ауыстырылған.",
            "Ссылка уже использована или заменена.",
            "This link has been used or replaced.",
        ],
        "feedback_expired" => [
            "Сілтеменің мерзімі өтті.",
            "Срок действия ссылки истёк.",
            "This link has expired.",
        ],
        "destination_not_allowed" => [
            "Бұл мекенжайға жіберуге рұқсат жоқ (ішкі желі).",
            "На этот адрес отправлять нельзя (внутренняя сеть).",
            "This address may not be used (an internal network).",
        ],
        "https_required" => [
            "https:// мекенжайы қажет.",
            "Нужен адрес https://.",
            "An https:// address is needed.",
        ],
        "cancelled" => [
            "Көрсеткіш тоқтатылған: орындалуы белгіленбейді.",
            "Показатель отменён: исполнение не отмечается.",
            "The indicator is cancelled: no progress is recorded on it.",
        ],
        "sheet_too_large" => [
            "Кесте тым үлкен.",
            "Таблица слишком большая.",
            "The sheet is too large.",
        ],
        _ => return None,
    }))
}

/// One field's error, by its `code`.
pub fn field(lang: Lang, code: &str) -> Option<&'static str> {
    Some(lang.text(match code {
        "required" => ["Толтыру міндетті", "Обязательное поле", "Required"],
        "length" => ["Ұзындығы жарамсыз", "Недопустимая длина", "Wrong length"],
        "range" => [
            "Рұқсат етілген шектен тыс",
            "Вне допустимого диапазона",
            "Out of range",
        ],
        "unknown" => ["Мұндай мән жоқ", "Такого значения нет", "No such value"],
        "out_of_scope" => [
            "Сіздің аумағыңыздан тыс",
            "Вне вашей территории",
            "Outside your territory",
        ],
        "invalid" | "format" | "invalid_parameter" => {
            ["Пішімі қате", "Неверный формат", "Wrong format"]
        }
        "email" => [
            "Электрондық пошта қате",
            "Неверный адрес почты",
            "Not an email address",
        ],
        "one_of" => [
            "Рұқсат етілген мәндердің бірі емес",
            "Недопустимое значение",
            "Not one of the allowed values",
        ],
        "not_cyrillic" => [
            "Қазақ немесе орыс тілінде жазыңыз",
            "Пишите на казахском или русском",
            "Write in Kazakh or Russian",
        ],
        "in_future" => [
            "Болашақ уақыт болмауы керек",
            "Не может быть в будущем",
            "Cannot be in the future",
        ],
        "too_old" => ["Тым ескі күн", "Слишком давняя дата", "Too long ago"],
        "phone_format" => [
            "Телефон нөмірі қате: +7 7XX XXX XX XX",
            "Неверный номер телефона: +7 7XX XXX XX XX",
            "Not a phone number: +7 7XX XXX XX XX",
        ],
        "phone_country" => [
            "Қазақстандық нөмір қажет (+7)",
            "Нужен казахстанский номер (+7)",
            "A Kazakhstan number is needed (+7)",
        ],
        "iin_checksum" => [
            "ЖСН бақылау цифры сәйкес емес",
            "Контрольная цифра ИИН не совпадает",
            "The IIN check digit does not match",
        ],
        "iin_format" => [
            "ЖСН 12 цифрдан тұрады",
            "ИИН состоит из 12 цифр",
            "An IIN has 12 digits",
        ],
        "iin_birth_date" | "iin_century" => [
            "ЖСН-дағы туған күн қате",
            "Неверная дата рождения в ИИН",
            "The IIN's birth date is wrong",
        ],
        "iin_bin" => [
            "Бұл БСН (ұйымның нөмірі), ЖСН емес",
            "Это БИН (номер организации), а не ИИН",
            "This is a BIN (an organisation's number), not an IIN",
        ],
        "date" => [
            "Күн қате (ЖЖЖЖ-АА-КК)",
            "Неверная дата (ГГГГ-ММ-ДД)",
            "Not a date (YYYY-MM-DD)",
        ],
        "timestamp" => ["Уақыт қате", "Неверное время", "Not a point in time"],
        "url" => ["Сілтеме қате", "Неверная ссылка", "Not a link"],
        "invalid_characters" => [
            "Рұқсат етілмеген таңбалар бар",
            "Есть недопустимые символы",
            "Contains characters that are not allowed",
        ],
        "duplicate" => ["Екі рет көрсетілген", "Указано дважды", "Listed twice"],
        "too_many" => ["Тым көп", "Слишком много", "Too many"],
        "anonymous_not_allowed" => [
            "Жасырын өтініш тек қауіп не құқық бұзушылық туралы хабарда қабылданады",
            "Анонимное обращение принимается только о угрозе или правонарушении",
            "An anonymous appeal is accepted only when it reports a threat or an offence",
        ],
        "extension_too_long" => [
            "Мерзім түскен күннен бастап 2 айдан аспай ұзартылады (ӘРПК 76-б.)",
            "Срок продлевается не более чем на 2 месяца с даты поступления (АППК ст. 76)",
            "A deadline runs at most 2 months from receipt (APPK art. 76)",
        ],
        "not_later" => [
            "Қолданыстағы мерзімнен кейін болуы керек",
            "Должен быть позже действующего срока",
            "Must be later than the deadline in force",
        ],
        "before_start" => [
            "Басталу күнінен бұрын болмауы керек",
            "Не может быть раньше начала",
            "Cannot be before the start",
        ],
        "held_before_start" => [
            "Қабылдау әлі басталған жоқ: басталғаннан кейін ғана өткізілді деп белгіленеді",
            "Приём ещё не начался: отметить проведённым можно только после начала",
            "The reception has not started yet: it can be recorded as held only once it has",
        ],
        "date_in_future" => [
            "Бүгінгі күннен кейін болмауы керек",
            "Не может быть позже сегодняшнего дня",
            "Cannot be later than today",
        ],
        "inactive" | "mandate_not_active" => [
            "Депутаттың мандаты белсенді емес",
            "Мандат депутата не действует",
            "The deputy's mandate is not active",
        ],
        "not_a_settlement" => [
            "Ауылдық округ, қала немесе елді мекен болуы керек",
            "Должен быть сельский округ, город или населённый пункт",
            "Must be a rural okrug, town or settlement",
        ],
        "outside_organiser" => [
            "Ұйымдастырушының аумағынан тыс",
            "Вне территории организатора",
            "Outside the organiser's territory",
        ],
        "out_of_roadmap" => [
            "Жол картасының аумағынан тыс",
            "Вне территории дорожной карты",
            "Outside the road map's territory",
        ],
        "not_allowed" => [
            "Бұл жерде рұқсат етілмейді",
            "Здесь не допускается",
            "Not allowed here",
        ],
        "not_planned" => [
            "Күндер тек жоспарланған қабылдауда өзгереді",
            "Даты меняются только у запланированного приёма",
            "Dates change only while the reception is planned",
        ],
        "not_settable" => [
            "Бұл мәртебе қолмен қойылмайды",
            "Этот статус не ставится вручную",
            "This status is not set by hand",
        ],
        "appeals_linked" => [
            "Өтініштер байланған, түрін өзгертуге болмайды",
            "Привязаны обращения, вид изменить нельзя",
            "Appeals are linked; the kind cannot change",
        ],
        "period_open" => [
            "Ай әлі аяқталған жоқ",
            "Месяц ещё не закончился",
            "The month is not over yet",
        ],
        "self_lockout" => [
            "Өзіңізді төмендете не өшіре алмайсыз",
            "Нельзя понизить или отключить самого себя",
            "You cannot demote or deactivate yourself",
        ],
        "closed" => [
            "Өтініш жабық: мерзімі ұзартылмайды",
            "Обращение закрыто: срок не продлевается",
            "The appeal is closed: its deadline is not extended",
        ],
        "level" => [
            "Бұл деңгейдегі аумаққа болмайды",
            "Не подходит территория этого уровня",
            "Not a territory of the right level",
        ],
        "xlsx" => [
            "Файл Excel (XLSX) ретінде оқылмады",
            "Файл не читается как Excel (XLSX)",
            "The file is not readable as Excel (XLSX)",
        ],
        "take_under_control" => [
            "Ұсыныс «Бақылауға алу» арқылы бақылауға алынады",
            "Предложение ставится на контроль кнопкой «Взять на контроль»",
            "A proposal is put under control with “Take under control”",
        ],
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_in_every_language_and_unknown_ones_fall_back() {
        for lang in Lang::ALL {
            for code in [
                "precondition_failed",
                "validation_failed",
                "not_found",
                "forbidden",
            ] {
                assert!(
                    problem(lang, code).is_some_and(|t| !t.is_empty()),
                    "{lang:?} {code}"
                );
            }
            for code in ["required", "out_of_scope", "iin_checksum"] {
                assert!(field(lang, code).is_some(), "{lang:?} {code}");
            }
            assert_eq!(problem(lang, "added_by_a_newer_server"), None);
        }
        assert_ne!(
            problem(Lang::Kk, "forbidden"),
            problem(Lang::Ru, "forbidden")
        );
    }
}
