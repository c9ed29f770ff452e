use super::*;

#[test]
fn user_dictionary_lines_are_well_formed() {
    for (i, line) in USER_DICT.lines().enumerate().filter(|(_, l)| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert!(
            (1..=3).contains(&parts.len()) && parts.get(1).is_none_or(|f| f.parse::<usize>().is_ok()),
            "data/userdict.txt:{}: `{line}`",
            i + 1
        );
    }
}

#[test]
fn user_dictionary_terms_stay_whole() {
    let tokenizer = Tokenizer::shared();
    for (word, _, _) in user_dictionary() {
        assert!(tokenizer.knows(word), "{word}");
        assert_eq!(tokenizer.terms(word), vec![word.to_string()], "{word}");
    }
}

#[test]
fn stop_words_of_both_languages_are_dropped() {
    let tokenizer = Tokenizer::shared();
    assert!(tokenizer.terms("the and of 的 了 和").is_empty());
    assert!(tokenizer.terms("本文介绍了这个项目").is_empty());
}

#[test]
fn numbers_and_single_characters_are_not_terms() {
    let tokenizer = Tokenizer::shared();
    assert!(tokenizer.terms("2024 年 12 月 1 日").is_empty());
}
