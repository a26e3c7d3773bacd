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
