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
fn chinese_subjects_of_the_general_stop_list_are_terms() {
    let tokenizer = Tokenizer::shared();
    for subject in ["本地", "替代", "对比"] {
        assert!(!tokenizer.is_stop_word(subject), "{subject}");
        assert_eq!(tokenizer.terms(subject), [subject], "{subject}");
    }
    // The list's function words still go.
    for function_word in ["一个", "如何", "基于", "通过"] {
        assert!(tokenizer.is_stop_word(function_word), "{function_word}");
    }
}

#[test]
fn numbers_and_single_characters_are_not_terms() {
    let tokenizer = Tokenizer::shared();
    assert!(tokenizer.terms("2024 年 12 月 1 日").is_empty());
}

/// Each text's terms by `tokenizer`.
fn terms_of(tokenizer: &Tokenizer, texts: &[String]) -> Vec<Vec<String>> {
    texts
        .iter()
        .map(|text| {
            let mut terms = Vec::new();
            tokenizer.raw_terms_into(text, &mut terms);
            terms
        })
        .collect()
}

#[test]
fn a_tokenizer_for_some_texts_cuts_them_as_the_whole_dictionary_does() {
    let texts: Vec<String> = [
        "本文介绍了如何使用 Python 构建一个高性能的异步爬虫框架",
        // NFKC folds Kangxi radicals (here 人 and 工) and full-width letters: jieba cuts the
        // folded text, and the words of the folded text must be in the dictionary.
        "\u{2F08}\u{2F2F}智能\u{FF30}\u{FF59}项目和机器学习模型",
        "数据https://example.com/x分析",
        "",
    ]
    .map(str::to_string)
    .to_vec();
    let whole = Tokenizer::shared();
    let expected = terms_of(whole, &texts);
    assert!(
        ["爬虫", "人工智能"]
            .iter()
            .all(|w| expected.iter().flatten().any(|t| t == w)),
        "{expected:?}"
    );
    let cut_down = Tokenizer::for_texts(texts.par_iter().map(String::as_str));
    assert_eq!(terms_of(&cut_down, &texts), expected);
    // The same total frequency, the user dictionary's words included (jieba shows it only in
    // its debug output).
    let total = |t: &Tokenizer| {
        let shown = format!("{:?}", t.jieba);
        shown[shown.find("total_freq").expect("jieba shows its total")..].to_string()
    };
    assert_eq!(total(&cut_down), total(whole));
    // The cut-down dictionary is the texts' own: a word they do not hold is not in it.
    assert!(whole.knows("图书馆") && !cut_down.knows("图书馆"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Texts of common characters, which make many dictionary words and many ways to cut them:
    /// a word missing from the cut-down dictionary, or a different total frequency (which
    /// weighs a cut into more words against one into fewer), would cut some differently.
    #[test]
    fn any_texts_cut_down_cut_as_the_whole(
        texts in proptest::collection::vec(
            "[的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图 a-z0-9，。]{0,40}",
            1..6,
        )
    ) {
        let cut_down = Tokenizer::for_texts(texts.par_iter().map(String::as_str));
        proptest::prop_assert_eq!(terms_of(&cut_down, &texts), terms_of(Tokenizer::shared(), &texts));
    }
}

/// A query's own cut-down dictionary gives it the terms the whole dictionary gives, markdown
/// read the same way.
#[test]
fn a_text_read_once_gets_the_terms_of_the_whole_dictionary() {
    for text in [
        "fleel",
        "异步编程 asyncio 的十个陷阱",
        "[用纯 Python 写一个数据库](https://example.org/db)：从零开始",
        "**Rust** 与 `PyO3`：把 Python 扩展写得更快",
        "",
    ] {
        assert_eq!(
            Tokenizer::terms_of_one(text),
            Tokenizer::shared().terms(text),
            "{text}"
        );
    }
}

#[test]
fn listed_names_stay_whole_however_they_are_written() {
    let tokenizer = Tokenizer::shared();
    let names: Vec<String> = words_of(NAMES).collect();
    assert!(names.iter().any(|n| n == "pypy"), "pypy is listed");
    for name in &names {
        assert_eq!(
            tokenizer.terms(name),
            vec![name.clone()],
            "data/names.txt: {name}"
        );
    }
    // PyPy is not PyPI, and a name is one term however it is written: the rule is on the
    // lower-cased word, never on the case (PyJokes and pyjokes stay one term).
    assert_eq!(
        tokenizer.terms("PyPy pypy Pypy PyPI pypi"),
        ["pypy", "pypy", "pypy", "pypi", "pypi"]
    );
    assert_eq!(tokenizer.terms("PyJokes pyjokes"), ["pyjok", "pyjok"]);
    // A protocol's plural meets its singular (the `websockets` library is not listed).
    assert_eq!(
        tokenizer.terms("WebSockets WebSocket"),
        ["websocket", "websocket"]
    );
    assert_eq!(tokenizer.terms("iOS IO ViT VITS"), ["ios", "io", "vit", "vits"]);
}

#[test]
fn english_stop_words_are_function_words_and_measured_filler() {
    let tokenizer = Tokenizer::shared();
    for subject in [
        "ai",
        "go",
        "web",
        "http",
        "development",
        "research",
        "microsoft",
        "free",
        "open",
        "test",
    ] {
        assert!(!tokenizer.is_stop_word(subject), "{subject}");
        assert!(!tokenizer.terms(subject).is_empty(), "{subject}");
    }
    for function_word in ["the", "of", "and", "to", "from", "is", "it", "we"] {
        assert!(tokenizer.is_stop_word(function_word), "{function_word}");
    }
    // Filler of this archive, measured by its spread (data/stopwords.txt).
    for filler in ["like", "new", "various", "etc"] {
        assert!(tokenizer.terms(filler).is_empty(), "{filler}");
    }
}

#[test]
fn a_part_of_hyphenated_words_only_is_shown_as_the_word_it_was_written_in() {
    let tokenizer = Tokenizer::shared();
    let mut surfaces = Surfaces::default();
    let mut terms = Vec::new();
    for text in [
        "Multi-Agent systems",
        "a multi-agent framework",
        "multi-agent memory",
        "Open-Source agents, open source, open data",
    ] {
        tokenizer.plain_terms_and_surfaces_into(text, &mut terms, &mut surfaces);
    }
    // The parts are terms to match by ...
    assert!(terms.iter().any(|t| t == "multi"));
    // ... but "multi" was never written alone: it is shown as the word it was written in.
    assert_eq!(surfaces.most_frequent("multi"), Some("multi-agent"));
    assert_eq!(surfaces.most_frequent("multi-agent"), Some("multi-agent"));
    // A part also written alone is shown as written (its writings as a part count too).
    assert_eq!(surfaces.most_frequent("open"), Some("open"));
    assert_eq!(surfaces.most_frequent("agent"), Some("agent"));
    // Counted apart and merged: the same words.
    let (mut one, mut two) = (Surfaces::default(), Surfaces::default());
    tokenizer.plain_terms_and_surfaces_into("a multi-agent framework", &mut terms, &mut one);
    tokenizer.plain_terms_and_surfaces_into("Multi-Agent systems, multi-agent memory", &mut terms, &mut two);
    assert_eq!(one.merge(two).most_frequent("multi"), Some("multi-agent"));
}

#[test]
fn words_as_a_person_counts_them_leave_out_the_parts_of_hyphenated_words() {
    let tokenizer = Tokenizer::shared();
    let mut words = Vec::new();
    tokenizer.plain_words_into("an open-source multi-agent tool, open to all", &mut words);
    assert_eq!(words, ["open-sourc", "multi-agent", "tool", "open"]);
    let mut terms = Vec::new();
    tokenizer.plain_terms_into("an open-source multi-agent tool, open to all", &mut terms);
    assert_eq!(
        terms,
        [
            "open",
            "sourc",
            "open-sourc",
            "multi",
            "agent",
            "multi-agent",
            "tool",
            "open"
        ]
    );
}

#[test]
fn surfaces_count_each_word_as_often_as_it_is_met_and_merged() {
    let tokenizer = Tokenizer::shared();
    let term = tokenizer.terms("Claude").remove(0);
    let mut terms = Vec::new();
    let (mut one, mut two) = (Surfaces::default(), Surfaces::default());
    tokenizer.plain_terms_and_surfaces_into("claude, claude and Claude", &mut terms, &mut one);
    // Met twice as `claude`, once as `Claude`.
    assert_eq!(one.most_frequent(&term), Some("claude"));
    tokenizer.plain_terms_and_surfaces_into("Claude or Claude", &mut terms, &mut two);
    // Merged: `Claude` three times, `claude` twice; the answer given before is not kept.
    let merged = one.merge(two);
    assert_eq!(merged.most_frequent(&term), Some("Claude"));
    let mut more = merged.clone();
    tokenizer.plain_terms_and_surfaces_into("claude claude", &mut terms, &mut more);
    assert_eq!(more.most_frequent(&term), Some("claude"));
}

#[test]
fn a_cased_word_is_a_name_only_where_written_as_one() {
    let tokenizer = Tokenizer::shared();
    let terms = |text: &str| tokenizer.terms(text);
    // In Chinese text, and capitalised in the middle of an English sentence: the name.
    assert_eq!(terms("Go 语言的并发"), ["go", "语言", "并发"]);
    assert!(terms("They rewrote the service in Go").contains(&"go".to_string()));
    assert!(terms("用 go 写的服务").contains(&"go".to_string()));
    // A text of one or two words (a query) has no grammar: the name, whatever its case.
    assert_eq!(terms("go"), ["go"]);
    assert_eq!(terms("Rich"), ["rich"]);
    // Capitalised by grammar alone (a title-case title, a sentence's first word) or in lower case
    // in English text: the ordinary word, no term.
    assert_eq!(terms("Where Do Compiled Wheels Go?"), ["compil", "wheel"]);
    assert!(!terms("Go through the steps first. Then go home").contains(&"go".to_string()));
    // A name kept whole is not the ordinary word's stem: Trusted is not trust.
    assert_eq!(terms("别把 Trusted Publishing 当作信号")[0], "trusted");
    assert_eq!(terms("you can trust trusted sources"), ["trust", "sourc"]);
    assert!(terms("Rich: a library for rich text").iter().all(|t| t != "rich"));
    // In a compound: capitalised the name, in lower case the ordinary word.
    assert!(terms("Go-based tools").contains(&"go".to_string()));
    assert_eq!(terms("the go-to library"), ["go-to", "librari"]);
}

#[test]
fn a_python_keyword_alone_in_chinese_text_is_a_term() {
    let tokenizer = Tokenizer::shared();
    assert_eq!(
        tokenizer.terms("关于 while 循环的笔记"),
        ["while", "循环", "笔记"]
    );
    assert!(tokenizer
        .terms("Python 的 with 语句")
        .contains(&"with".to_string()));
    // Inside an English phrase, or in English text, it is the function word.
    assert!(!tokenizer
        .terms("推荐《Learning for Data Work》")
        .contains(&"for".to_string()));
    assert!(!tokenizer
        .terms("a loop for the data")
        .contains(&"for".to_string()));
}

#[test]
fn a_decomposed_accent_gives_the_terms_and_words_of_the_precomposed_letter() {
    let tokenizer = Tokenizer::shared();
    let precomposed = "Café Society：咖啡馆里的 Pokémon";
    let decomposed = "Cafe\u{301} Society：咖啡馆里的 Poke\u{301}mon";
    assert_eq!(tokenizer.terms(decomposed), tokenizer.terms(precomposed));
    assert!(tokenizer.terms(decomposed).contains(&"café".to_string()));
    // The word shown for the term is the composed one, however the text wrote it.
    let (mut terms, mut surfaces) = (Vec::new(), Surfaces::default());
    tokenizer.plain_terms_and_surfaces_into(decomposed, &mut terms, &mut surfaces);
    let term = tokenizer.terms("Pokémon").remove(0);
    assert_eq!(surfaces.most_frequent(&term), Some("Pokémon"));
    // A mark with nothing to compose with stays where it stood, at the start or after a Chinese
    // character; the text around it is kept whole.
    assert_eq!(super::fold("\u{301}a\u{301}咖\u{301}啡"), "\u{301}á咖\u{301}啡");
    assert_eq!(super::fold("ｐｉｐ：e\u{301}"), "pip:é");
}
