//! The overview, mobile receptions and road maps pages.

use baqylau_wire::receptions::{ReceptionLevel, ReceptionStatus};
use baqylau_wire::roadmaps::IndicatorStatus;

texts! {
    /// Texts of the overview, receptions and road-map pages.
    pub struct Dashboard, Lang::dashboard {
        // Each text is [kk, ru, en].
        nav_overview: ["Шолу", "Обзор", "Overview"],
        nav_receptions: ["Көшпелі қабылдаулар", "Выездные приёмы", "Mobile receptions"],
        nav_roadmaps: ["Жол карталары", "Дорожные карты", "Road maps"],
        overview_title: ["Жағдай шолуы", "Обзор ситуации", "Overview"],
        period: ["Кезең", "Период", "Period"],
        received: ["Түскен өтініштер", "Поступило обращений", "Appeals received"],
        by_status: ["Мәртебесі бойынша", "По статусам", "By status"],
        by_category: ["Санаты бойынша", "По категориям", "By category"],
        by_channel: ["Арнасы бойынша", "По каналам", "By channel"],
        overdue_now: ["Мерзімі өткен", "Просрочено", "Overdue"],
        oldest_overdue: ["Ең ұзақ мерзімі өткен", "Самое давно просроченное", "Longest overdue"],
        days_overdue: ["күн кешікті", "дн. просрочки", "days overdue"],
        median_days: [
            "Жауапқа дейінгі күндер (медиана)",
            "Дней до ответа (медиана)",
            "Days to an answer (median)",
        ],
        resolved_in_period: ["Жауап берілді", "Дан ответ", "Answered"],
        no_data: ["Дерек жоқ", "Нет данных", "No data"],
        roadmap_completion: ["Жол картасының орындалуы", "Исполнение дорожной карты", "Road-map completion"],
        roadmap_year: ["Жол карталарының жылы", "Год дорожных карт", "Road maps of the year"],
        planned: ["жоспарланған", "запланировано", "planned"],
        done: ["орындалды", "выполнено", "done"],
        by_section: ["Бөлімдер бойынша", "По разделам", "By section"],
        by_district: ["Аудандар бойынша", "По районам", "By district"],
        by_deputy: ["Депутаттар бойынша", "По депутатам", "By deputy"],
        upcoming_receptions: ["Алдағы көшпелі қабылдаулар", "Предстоящие выездные приёмы", "Upcoming mobile receptions"],
        none_planned: ["Жоспарланған қабылдау жоқ", "Запланированных приёмов нет", "No receptions planned"],
        held_in_period: ["Кезеңде өткізілді", "Проведено за период", "Held in the period"],
        recall_risk: ["Мандатын кері шақыру қаупі", "Риск отзыва мандата", "Recall risk"],
        recall_risk_none: ["Шектен төмен депутат жоқ", "Депутатов ниже порога нет", "No deputy is below the threshold"],
        recall_threshold: ["Шек", "Порог", "Threshold"],
        score: ["Балл", "Балл", "Score"],
        deputies_below: ["Шектен төмен депутаттар", "Депутатов ниже порога", "Deputies below the threshold"],
        receptions_title: ["Көшпелі қабылдаулар", "Выездные приёмы", "Mobile receptions"],
        all_statuses: ["Барлық мәртебелер", "Все статусы", "All statuses"],
        title: ["Атауы", "Название", "Title"],
        when: ["Уақыты", "Время", "When"],
        venue: ["Өтетін орны", "Место проведения", "Venue"],
        level: ["Деңгейі", "Уровень", "Level"],
        status: ["Мәртебесі", "Статус", "Status"],
        participants: ["Қатысушылар", "Участники", "Participants"],
        no_participants: ["Қатысушылар жоқ", "Участников нет", "No participants"],
        residents_heard: ["Қабылданған тұрғындар", "Принято жителей", "Residents heard"],
        report: ["Есеп", "Отчёт", "Report"],
        open_report: ["Есепті ашу", "Открыть отчёт", "Open the report"],
        issues_raised: ["Көтерілген мәселелер", "Поднятые вопросы", "Issues raised"],
        appeals_taken: ["Қабылданған өтініштер", "Принято обращений", "Appeals taken"],
        resolved_share: ["Шешілген үлесі", "Доля решённых", "Share resolved"],
        overdue_appeals: ["Мерзімі өткен өтініштер", "Просроченные обращения", "Overdue appeals"],
        download: ["Жүктеп алу", "Скачать", "Download"],
        coverage_title: ["Бармаған елді мекендер", "Непосещённые населённые пункты", "Places not visited"],
        coverage_months: ["Соңғы айлар", "За последние месяцы", "In the last months"],
        all_visited: ["Барлығына барылды", "Все посещены", "All visited"],
        roadmaps_title: ["Жол карталары", "Дорожные карты", "Road maps"],
        years: ["Жылдары", "Годы", "Years"],
        open_summary: ["Қорытынды", "Сводка", "Summary"],
        summary_title: ["Жол картасының қорытындысы", "Сводка дорожной карты", "Road-map summary"],
        indicators: ["Көрсеткіштер", "Показатели", "Indicators"],
        due: ["Мерзімі", "Срок", "Due"],
        record_progress: ["Орындалуын белгілеу", "Отметить исполнение", "Record progress"],
        progress_date: ["Күні", "Дата", "Date"],
        progress_done: ["Орындалды ма", "Исполнено", "Done"],
        progress_yes: ["Иә", "Да", "Yes"],
        progress_no: ["Жоқ", "Нет", "No"],
        progress_value: ["Қол жеткізілген мән", "Достигнутое значение", "Value reached"],
        progress_comment: ["Түсініктеме", "Комментарий", "Comment"],
        progress_evidence: [
            "Дәлелдер сілтемелері (әр жолда біреу)",
            "Ссылки на подтверждения (по одной в строке)",
            "Evidence links (one per line)",
        ],
        progress_save: ["Сақтау", "Сохранить", "Save"],
        import_title: ["Көрсеткіштерді файлдан жүктеу", "Загрузка показателей из файла", "Import indicators from a file"],
        open_import: ["Файлдан жүктеу", "Загрузить из файла", "Import from a file"],
        import_hint: [
            "CSV немесе XLSX, үлгінің бағандарымен. Барлық жолдар дұрыс болғанда ғана жүктеледі.",
            "CSV или XLSX со столбцами шаблона. Загружается, только если все строки верны.",
            "CSV or XLSX with the template's columns. Nothing is imported unless every row is good.",
        ],
        import_send: ["Жүктеу", "Загрузить", "Import"],
        import_indicators: ["Жүктелген көрсеткіштер", "Загружено показателей", "Indicators imported"],
        import_sections: ["Жаңа бөлімдер", "Новых разделов", "New sections"],
        import_rejected: [
            "Файл жүктелмеді: төмендегі қателерді түзетіңіз.",
            "Файл не загружен: исправьте ошибки ниже.",
            "The file was not imported: fix the problems below.",
        ],
        import_line: ["Жол", "Строка", "Line"],
        import_column: ["Баған", "Столбец", "Column"],
        import_problem: ["Қате", "Ошибка", "Problem"],
        progress_saved: ["Орындалуы белгіленді.", "Исполнение отмечено.", "Progress recorded."],
        target: ["Мақсат", "Цель", "Target"],
        actual: ["Нақты", "Факт", "Actual"],
        in_progress_n: ["орындалуда", "в работе", "in progress"],
        overdue_n: ["мерзімі өткен", "просрочено", "overdue"],
        cancelled_n: ["тоқтатылған", "отменено", "cancelled"],
        capture_title: ["Орнында қабылдау", "Приём на месте", "On-site intake"],
        open_capture: ["Өтініштерді орнында қабылдау", "Принимать обращения на месте", "Take appeals on site"],
        online: ["Желі бар", "Есть связь", "Online"],
        offline: ["Желі жоқ", "Нет связи", "Offline"],
        place: ["Елді мекен", "Населённый пункт", "Place"],
        citizen_name: ["Азаматтың аты-жөні", "ФИО гражданина", "Citizen's name"],
        phone: ["Телефон", "Телефон", "Phone"],
        description: ["Мәселенің сипаттамасы", "Описание проблемы", "Description"],
        appeal_language: ["Өтініш тілі", "Язык обращения", "Language of the appeal"],
        keep_appeal: ["Сақтау", "Сохранить", "Keep"],
        waiting_to_send: ["Жіберуді күтуде", "Ожидает отправки", "Waiting to send"],
        send_now: ["Қазір жіберу", "Отправить сейчас", "Send now"],
        sending: ["Жіберілуде…", "Отправка…", "Sending…"],
        sent: ["Серверге жіберілді", "Отправлено на сервер", "Sent to the server"],
        will_send_later: [
            "Желі жоқ: байланыс қалпына келгенде жіберіледі.",
            "Нет связи: отправим, когда связь появится.",
            "No connection: they will be sent when it returns.",
        ],
        nothing_yet: ["Әзірге ештеңе жоқ", "Пока ничего нет", "Nothing yet"],
        queue: ["Жіберу кезегі", "Очередь отправки", "Sending queue"],
        refused: ["Сервер қабылдамады", "Отклонено сервером", "Refused by the server"],
        correct: ["Түзету", "Исправить", "Correct"],
        correcting: [
            "Қабылданбаған өтінішті түзетіп жатырсыз: сақтағанда қайта жіберіледі.",
            "Вы исправляете отклонённое обращение: после сохранения оно уйдёт снова.",
            "You are correcting a refused appeal: it is sent again once kept.",
        ],
        keep_correction: ["Түзетуді сақтау", "Сохранить исправление", "Keep the correction"],
        clear_sent: ["Жіберілгендерді тазалау", "Убрать отправленные", "Clear sent"],
    }
}

impl Dashboard {
    pub fn reception_status(&self, s: ReceptionStatus) -> &'static str {
        self.lang.text(match s {
            ReceptionStatus::Planned => ["Жоспарланған", "Запланирован", "Planned"],
            ReceptionStatus::Held => ["Өткізілді", "Проведён", "Held"],
            ReceptionStatus::Postponed => ["Кейінге қалдырылды", "Перенесён", "Postponed"],
            ReceptionStatus::Cancelled => ["Болдырылмады", "Отменён", "Cancelled"],
        })
    }

    pub fn reception_level(&self, l: ReceptionLevel) -> &'static str {
        self.lang.text(match l {
            ReceptionLevel::District => ["Аудандық", "Районный", "District"],
            ReceptionLevel::Regional => ["Облыстық", "Областной", "Regional"],
            ReceptionLevel::Republican => ["Республикалық", "Республиканский", "Republican"],
        })
    }

    pub fn indicator_status(&self, s: IndicatorStatus) -> &'static str {
        self.lang.text(match s {
            IndicatorStatus::Planned => ["Жоспарланған", "Запланирован", "Planned"],
            IndicatorStatus::InProgress => ["Орындалуда", "В работе", "In progress"],
            IndicatorStatus::Done => ["Орындалды", "Выполнен", "Done"],
            IndicatorStatus::NotDone => ["Орындалмады", "Не выполнен", "Not done"],
            IndicatorStatus::Cancelled => ["Тоқтатылды", "Отменён", "Cancelled"],
        })
    }
}
