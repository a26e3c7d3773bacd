//! Citizens' appeals: the list, one appeal and its history, registration.

use super::Lang;
use crate::appeal::{Channel, Language, Status};

texts! {
    /// The appeals pages.
    pub struct Appeals, Lang::appeals {
        // Each text is [kk, ru, en].
        nav_appeals: ["Өтініштер", "Обращения", "Appeals"],
        nav_new_appeal: ["Өтінішті тіркеу", "Регистрация обращения", "Register appeal"],
        appeals_title: ["Азаматтардың өтініштері", "Обращения граждан", "Citizens' appeals"],
        reg_number: ["Тіркеу нөмірі", "Рег. номер", "Reg. number"],
        status: ["Мәртебесі", "Статус", "Status"],
        category: ["Санаты", "Категория", "Category"],
        channel: ["Түсу арнасы", "Канал поступления", "Channel"],
        received: ["Түскен күні", "Дата поступления", "Received"],
        registered_on: ["Тіркелген күні", "Дата регистрации", "Registered on"],
        deadline: ["Қарау мерзімі", "Срок рассмотрения", "Deadline"],
        extended_deadline: ["Ұзартылған мерзім", "Продлённый срок", "Extended deadline"],
        extension_reason: ["Ұзарту негізі", "Основание продления", "Reason for the extension"],
        subject: ["Тақырыбы", "Тема", "Subject"],
        description: ["Өтініш мәтіні", "Текст обращения", "Text of the appeal"],
        appeal_language: ["Өтініш тілі", "Язык обращения", "Language of the appeal"],
        overdue: ["Мерзімі өтті", "Просрочено", "Overdue"],
        overdue_only: ["Тек мерзімі өткендер", "Только просроченные", "Overdue only"],
        search_hint: [
            "Нөмір, тақырып немесе мәтін",
            "Номер, тема или текст",
            "Number, subject or text",
        ],
        all_statuses: ["Барлық мәртебелер", "Все статусы", "All statuses"],
        all_categories: ["Барлық санаттар", "Все категории", "All categories"],
        no_appeals: ["Өтініштер табылмады.", "Обращения не найдены.", "No appeals found."],
        new_appeal_title: [
            "Жаңа өтінішті тіркеу",
            "Регистрация нового обращения",
            "Register a new appeal",
        ],
        applicant: ["Өтініш беруші", "Заявитель", "Applicant"],
        full_name: ["Аты-жөні", "Ф. И. О.", "Full name"],
        iin: ["ЖСН", "ИИН", "IIN"],
        phone: ["Телефон", "Телефон", "Phone"],
        address: ["Мекенжайы", "Адрес", "Address"],
        register: ["Тіркеу", "Зарегистрировать", "Register"],
        registering: ["Тіркелуде…", "Регистрация…", "Registering…"],
        anonymous: ["Жасырын өтініш", "Анонимное обращение", "Anonymous appeal"],
        personal_data_masked: [
            "Жеке деректер жасырылған: оларды толық көруге құқығыңыз жоқ.",
            "Персональные данные скрыты: у вас нет права видеть их полностью.",
            "Personal data is masked: you may not see it in full.",
        ],
        history: ["Өтініш тарихы", "История обращения", "History"],
        no_history: ["Тарих әлі бос.", "История пока пуста.", "No history yet."],
        responsible_body: ["Жауапты орган", "Ответственный орган", "Responsible body"],
        deputy: ["Депутат", "Депутат", "Deputy"],
        resolution: ["Қарау нәтижесі", "Результат рассмотрения", "Resolution"],
        resolved_at: ["Аяқталған уақыты", "Дата завершения", "Closed at"],
        forwarded_to: ["Жолданған орган", "Куда перенаправлено", "Forwarded to"],
        forwarded_on: ["Жолданған күні", "Дата перенаправления", "Forwarded on"],
        comment: ["Түсініктеме", "Комментарий", "Comment"],
        change_status: ["Мәртебені өзгерту", "Изменить статус", "Change status"],
        stale_appeal: [
            "Бұл өтінішті сіз қарап отырғанда басқа біреу өзгертті. Бетті қайта жүктеп, өзгерістерді тексеріңіз.",
            "Пока вы работали, это обращение изменил кто-то другой. Обновите страницу и проверьте изменения.",
            "Someone else changed this appeal while you were looking at it. Reload it and check the changes.",
        ],
        transition_not_allowed: [
            "Бұл мәртебеге ауыстыруға болмайды. Мүмкін мәртебелер:",
            "Перевод в этот статус невозможен. Допустимые статусы:",
            "This status change is not allowed. Possible statuses:",
        ],
        back_to_appeals: ["← Өтініштер тізімі", "← К списку обращений", "← Back to appeals"],
        all_channels: ["Барлық арналар", "Все каналы", "All channels"],
        deputy_id: ["Депутат (ID)", "Депутат (ID)", "Deputy (ID)"],
        reception_id: ["Қабылдау (ID)", "Приём (ID)", "Reception (ID)"],
        received_from: ["Түскен күні, бастап", "Поступило с", "Received from"],
        received_to: ["Түскен күні, дейін", "Поступило по", "Received to"],
        days_left_title: [
            "Жұмыс күндері қалды",
            "Осталось рабочих дней",
            "Working days left",
        ],
    }
}

impl Appeals {
    /// The working days left until the deadline (negative: since it passed).
    pub fn days_left(&self, days: i64) -> String {
        match (self.lang, days) {
            (Lang::Kk, 0) => "бүгін".into(),
            (Lang::Ru, 0) => "сегодня".into(),
            (Lang::En, 0) => "today".into(),
            (Lang::Kk, d) if d > 0 => format!("{d} ж. к. қалды"),
            (Lang::Ru, d) if d > 0 => format!("ещё {d} раб. дн."),
            (Lang::En, d) if d > 0 => format!("{d} working days left"),
            (Lang::Kk, d) => format!("{} ж. к. кешікті", -d),
            (Lang::Ru, d) => format!("просрочено на {} раб. дн.", -d),
            (Lang::En, d) => format!("{} working days late", -d),
        }
    }
}

// Every `match` below is exhaustive over a wire enum, so a value added to the API does not
// compile until it is translated here.
impl Appeals {
    /// An appeal status.
    pub fn status(&self, status: Status) -> &'static str {
        self.lang.text(match status {
            Status::Registered => ["Тіркелді", "Зарегистрировано", "Registered"],
            Status::UnderControl => ["Бақылауға алынды", "Взято на контроль", "Under control"],
            Status::Assigned => ["Тағайындалды", "Назначен исполнитель", "Assigned"],
            Status::InProgress => ["Орындалуда", "В работе", "In progress"],
            Status::Resolved => ["Шешілді", "Решено", "Resolved"],
            Status::Explained => ["Түсіндірілді", "Разъяснено", "Explained"],
            Status::Rejected => ["Қабылданбады", "Отклонено", "Rejected"],
            Status::Forwarded => ["Жолданды", "Перенаправлено", "Forwarded"],
            Status::Reopened => ["Қайта ашылды", "Возобновлено", "Reopened"],
        })
    }

    /// The button that moves an appeal to `to`, as a verb ("Take under control").
    pub fn move_to(&self, to: Status) -> &'static str {
        self.lang.text(match to {
            Status::Registered => ["Тіркелді", "Зарегистрировано", "Registered"],
            Status::UnderControl => ["Бақылауға алу", "Взять на контроль", "Take under control"],
            Status::Assigned => ["Орындаушы тағайындау", "Назначить исполнителя", "Assign"],
            Status::InProgress => ["Жұмысқа алу", "Взять в работу", "Start work"],
            Status::Resolved => [
                "Шешілді деп белгілеу",
                "Отметить как решённое",
                "Mark resolved",
            ],
            Status::Explained => [
                "Түсіндірілді деп белгілеу",
                "Отметить как разъяснённое",
                "Mark explained",
            ],
            Status::Rejected => ["Қабылдамау", "Отклонить", "Reject"],
            Status::Forwarded => ["Басқа органға жолдау", "Перенаправить", "Forward"],
            Status::Reopened => ["Қайта ашу", "Возобновить", "Reopen"],
        })
    }

    /// How an appeal arrived.
    pub fn channel(&self, channel: Channel) -> &'static str {
        self.lang.text(match channel {
            Channel::ReceptionRoom => [
                "Қоғамдық қабылдау бөлмесі",
                "Общественная приёмная",
                "Public reception room",
            ],
            Channel::MobileReception => ["Көшпелі қабылдау", "Выездной приём", "Mobile reception"],
            Channel::BusinessReception => [
                "Кәсіпкерлерді қабылдау",
                "Приём предпринимателей",
                "Business reception",
            ],
            Channel::DebateClub => ["Пікірталас клубы", "Дискуссионный клуб", "Debate club"],
            Channel::PublicCouncil => ["Қоғамдық кеңес", "Общественный совет", "Public council"],
            Channel::Online => ["Онлайн", "Онлайн", "Online"],
            Channel::Phone => ["Телефон", "Телефон", "Phone"],
            Channel::Letter => ["Хат", "Письмо", "Letter"],
            Channel::StatePortal => [
                "Мемлекеттік портал",
                "Государственный портал",
                "State portal",
            ],
        })
    }

    /// The language a citizen wrote in.
    pub fn appeal_language(&self, language: Language) -> &'static str {
        self.lang.text(match language {
            Language::Kazakh => ["Қазақ тілі", "Казахский", "Kazakh"],
            Language::Russian => ["Орыс тілі", "Русский", "Russian"],
        })
    }

    /// What an entry of an appeal's history records. The API's action names are plain
    /// strings, so one this build does not know is shown as the API spells it.
    pub fn event<'a>(&self, action: &'a str) -> &'a str {
        let names = match action {
            "created" => [
                "Өтініш тіркелді",
                "Обращение зарегистрировано",
                "Appeal registered",
            ],
            "transition" => ["Мәртебе өзгертілді", "Изменён статус", "Status changed"],
            "updated" => ["Өтініш өзгертілді", "Обращение изменено", "Appeal edited"],
            "extended" => ["Мерзім ұзартылды", "Срок продлён", "Deadline extended"],
            "deleted" => ["Өтініш жойылды", "Обращение удалено", "Appeal deleted"],
            other => return other,
        };
        self.lang.text(names)
    }
}
