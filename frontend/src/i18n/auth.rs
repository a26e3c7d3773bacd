//! Signing in and out, and who the person is.

use baqylau_wire::auth::Role;

texts! {
    /// Signing in and the person's account.
    pub struct Auth, Lang::auth {
        // Each text is [kk, ru, en].
        please_sign_in: [
            "Жалғастыру үшін жүйеге кіріңіз.",
            "Войдите, чтобы продолжить.",
            "Sign in to continue.",
        ],
        sign_in: ["Кіру", "Войти", "Sign in"],
        sign_in_title: ["Жүйеге кіру", "Вход в систему", "Sign in"],
        sign_in_hint: [
            "Жұмыс электрондық поштаңыз бен құпиясөзіңізді енгізіңіз.",
            "Введите рабочую электронную почту и пароль.",
            "Enter your work email and password.",
        ],
        signing_in: ["Кіру орындалуда…", "Выполняется вход…", "Signing in…"],
        sign_out: ["Шығу", "Выйти", "Sign out"],
        email: ["Электрондық пошта", "Электронная почта", "Email"],
        password: ["Құпиясөз", "Пароль", "Password"],
        user: ["Пайдаланушы", "Пользователь", "User"],
        role: ["Рөлі", "Роль", "Role"],
        session_expired: [
            "Сессия мерзімі аяқталды. Қайта кіріңіз.",
            "Сеанс истёк. Войдите снова.",
            "Your session has expired. Please sign in again.",
        ],
    }
}

impl Auth {
    pub fn role(&self, role: Role) -> &'static str {
        self.lang.text(match role {
            Role::Admin => ["Әкімші", "Администратор", "Administrator"],
            Role::RegionalStaff => [
                "Облыстық филиал қызметкері",
                "Сотрудник областного филиала",
                "Regional office staff",
            ],
            Role::DistrictStaff => [
                "Аудандық филиал қызметкері",
                "Сотрудник районного филиала",
                "District office staff",
            ],
            Role::Deputy => ["Депутат", "Депутат", "Deputy"],
            Role::Viewer => [
                "Бақылаушы (тек қарау)",
                "Наблюдатель (только просмотр)",
                "Viewer (read-only)",
            ],
        })
    }
}
