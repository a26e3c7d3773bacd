//! Texts of the shell and of every page: the header, errors, lists and forms in general.

texts! {
    /// Shared by every capability.
    pub struct Common, Lang::common {
        // Each text is [kk, ru, en].
        app_name: ["Бақылау", "Бақылау", "Baqylau"],
        tagline: [
            "Азаматтардың өтініштерін бақылау жүйесі",
            "Система контроля обращений граждан",
            "Citizens' appeals under control",
        ],
        language: ["Тіл", "Язык", "Language"],
        home: ["Басты бет", "Главная", "Home"],
        welcome: ["Қош келдіңіз", "Добро пожаловать", "Welcome"],
        server_status: ["Сервер күйі", "Состояние сервера", "Server status"],
        checking: ["Тексерілуде…", "Проверка…", "Checking…"],
        ready: ["Жұмысқа дайын", "Готов к работе", "Ready"],
        unavailable: ["Қолжетімсіз", "Недоступен", "Unavailable"],
        database: ["Дерекқор", "База данных", "Database"],
        version: ["Нұсқа", "Версия", "Version"],
        api_docs: ["API құжаттамасы", "Документация API", "API documentation"],
        not_found_title: ["Бет табылмады", "Страница не найдена", "Page not found"],
        not_found_text: [
            "Сұралған бет жоқ немесе жойылған.",
            "Запрошенная страница не существует или была удалена.",
            "The page you asked for does not exist or was removed.",
        ],
        back_home: ["Басты бетке оралу", "Вернуться на главную", "Back to the home page"],
        network_error: [
            "Серверге қосылу мүмкін болмады. Желі байланысын тексеріңіз.",
            "Не удалось связаться с сервером. Проверьте подключение к сети.",
            "Could not reach the server. Check the network connection.",
        ],
        unexpected_error: [
            "Күтпеген қате орын алды",
            "Произошла непредвиденная ошибка",
            "Something unexpected went wrong",
        ],
        search: ["Іздеу", "Поиск", "Search"],
        find: ["Табу", "Найти", "Find"],
        clear_filters: ["Сүзгіні тазарту", "Сбросить фильтры", "Clear filters"],
        found: ["Табылды", "Найдено", "Found"],
        shown: ["Көрсетілді", "Показано", "Shown"],
        more: ["Тағы көрсету", "Показать ещё", "Show more"],
        loading: ["Жүктелуде…", "Загрузка…", "Loading…"],
        choose: ["— таңдаңыз —", "— выберите —", "— choose —"],
        not_specified: ["— нақтыламау —", "— не уточнять —", "— not specified —"],
        required_note: [
            "* белгісі бар өрістерді толтыру міндетті.",
            "Поля, отмеченные *, обязательны.",
            "Fields marked * are required.",
        ],
        fix_fields: [
            "Белгіленген өрістерді түзетіңіз.",
            "Исправьте отмеченные поля.",
            "Please correct the marked fields.",
        ],
        confirm: ["Растау", "Подтвердить", "Confirm"],
        cancel: ["Болдырмау", "Отмена", "Cancel"],
        delete: ["Жою", "Удалить", "Delete"],
        saving: ["Сақталуда…", "Сохранение…", "Saving…"],
        reload: ["Қайта жүктеу", "Обновить", "Reload"],
    }
}
