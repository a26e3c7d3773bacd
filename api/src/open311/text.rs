//! What an Open311 description says of itself: its language and a subject line.

/// Kazakh when the text has letters only Kazakh uses; Russian otherwise.
pub fn guess_language(text: &str) -> &'static str {
    let kazakh = text.chars().any(|c| "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c));
    if kazakh {
        "kk"
    } else {
        "ru"
    }
}

/// The appeal's subject: the description's first words, up to 120 characters.
pub fn subject_of(description: &str) -> String {
    let mut subject = String::new();
    for word in description.split_whitespace() {
        if subject.chars().count() + word.chars().count() + 1 > 120 {
            break;
        }
        if !subject.is_empty() {
            subject.push(' ');
        }
        subject.push_str(word);
    }
    if subject.is_empty() {
        description.chars().take(120).collect()
    } else {
        subject
    }
}
