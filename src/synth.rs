//! Synthetic archives for scale measurements: `weeklens synth` writes N entries in the archive's
//! own markdown (Chinese issues `YYYY-MM-DD-weekly.md` with front matter and numbered entries in
//! category sections, their `en/` translations), shaped like the real archive but made of
//! pseudo-words: nothing of the real archive's text is in here, only numbers measured on it.
//!
//! It sits beside the pipeline, before [`crate::archive`]: what it writes is read by the same
//! parser as the real archive, with no warnings. Issues are generated one at a time and written as
//! they are made ([`Generator`] → [`render_zh`] / [`render_en`] → [`write`]), so a million
//! entries take no more memory than one issue and the re-share window. The output depends only
//! on the entry count and the seed.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use rand_xoshiro::rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::error::{Error, Result};
use crate::model::{Category, Lang};

// ---------------------------------------------------------------------------------------------
// The real archive's statistics.
//
// Measured on the real archive (159 weekly issues, 3,984 entries, commit c1b0100): `weeklens build
// --archive ../shared/corpus/python-weekly/docs --store /tmp/real`, then `weeklens export entries`
// read by a throw-away script (counts of CJK characters and of ASCII words `[A-Za-z][A-Za-z0-9_.+-]*`
// per field, URLs compared across issues), and `weeklens terms --top 100000000 --format json` for
// the vocabulary (6,839 terms after min_df 2 / max_df 0.5; 23.2 terms per entry). Quantile tables
// are (cumulative share, value) points of the empirical distribution, read by linear
// interpolation.

/// Entries per issue: q0 8, q10 23, q25 24, median 25, q75 26, q90 28, q99 31 (mean 25.1).
const ENTRIES_PER_ISSUE: &[(f64, f64)] = &[
    (0.0, 8.0),
    (0.1, 23.0),
    (0.25, 24.0),
    (0.5, 25.0),
    (0.75, 26.0),
    (0.9, 28.0),
    (0.99, 31.0),
    (1.0, 34.0),
];

/// Share of entries per category (article 48.3%, project 46.5%, media 3.3%, discussion 1.4%,
/// book 0.2%; the 0.2% "other" are special issues' numbered headings, left out).
const CATEGORY_MIX: &[(Category, f64)] = &[
    (Category::Article, 0.4832),
    (Category::Project, 0.4651),
    (Category::Media, 0.0334),
    (Category::Discussion, 0.0143),
    (Category::Book, 0.0018),
];

/// Share of issues printed as titles only (50 of 159: the paid-subscription summaries).
const TITLES_ONLY_SHARE: f64 = 50.0 / 159.0;

/// CJK characters in a Chinese title (median 10, q90 15, q99 20).
const TITLE_CJK: &[(f64, f64)] = &[
    (0.0, 2.0),
    (0.1, 5.0),
    (0.25, 7.0),
    (0.5, 10.0),
    (0.75, 12.0),
    (0.9, 15.0),
    (0.99, 20.0),
    (1.0, 31.0),
];

/// ASCII words in a Chinese title (mean 1.9).
const TITLE_ASCII: &[(f64, f64)] = &[
    (0.0, 0.0),
    (0.1, 1.0),
    (0.5, 2.0),
    (0.9, 3.0),
    (0.99, 5.0),
    (1.0, 9.0),
];

/// CJK characters in a Chinese description, entries of full issues (median 51, q90 80, max 359).
const DESCRIPTION_CJK: &[(f64, f64)] = &[
    (0.0, 8.0),
    (0.1, 26.0),
    (0.25, 37.0),
    (0.5, 51.0),
    (0.75, 65.0),
    (0.9, 80.0),
    (0.99, 130.0),
    (1.0, 359.0),
];

/// English words inside Chinese descriptions, per CJK character (0.083: "基于 Typer 和 Rich 的").
const ASCII_PER_CJK: f64 = 0.083;

/// Words in an English title (median 7, q90 12).
const EN_TITLE_WORDS: &[(f64, f64)] = &[
    (0.0, 2.0),
    (0.1, 4.0),
    (0.25, 6.0),
    (0.5, 7.0),
    (0.75, 9.0),
    (0.9, 12.0),
    (0.99, 17.0),
    (1.0, 24.0),
];

/// Words in an English description, entries of full issues (median 34, q90 52).
const EN_DESCRIPTION_WORDS: &[(f64, f64)] = &[
    (0.0, 5.0),
    (0.1, 18.0),
    (0.25, 26.0),
    (0.5, 34.0),
    (0.75, 42.0),
    (0.9, 52.0),
    (0.99, 74.0),
    (1.0, 120.0),
];

/// Entries the editor marks as English sources: (英文).
const LANG_EN_SHARE: f64 = 0.0545;

/// Linked entries whose URL an earlier issue shared already (20 of 2,737).
const RESHARE_SHARE: f64 = 0.0073;

/// Issues between a share and its re-share (median 24, q90 53, max 87).
const RESHARE_GAP: &[(f64, f64)] = &[
    (0.0, 2.0),
    (0.1, 6.0),
    (0.25, 13.0),
    (0.5, 24.0),
    (0.75, 36.0),
    (0.9, 53.0),
    (1.0, 87.0),
];

/// Entries of full issues showing an image under their description.
const IMAGE_SHARE: f64 = 0.115;

/// Links inside a description, per entry of a full issue.
const EXTRA_LINKS_PER_ENTRY: f64 = 0.23;

// The term distribution. Words are drawn by rank from a Zipf–Mandelbrot law over a large
// lexicon, so the vocabulary keeps growing with the archive as a real one does (Heaps' law);
// half the words are function words the tokenizer drops, as in real text; each entry has a
// latent topic whose own words make up part of its text, so that there are topics to find.
// The constants were tuned until a 3,984-entry synthetic archive built into a store close to the
// real one. Real: 6,839 terms (3,376 Chinese), 23.2 terms per entry, document frequencies at
// ranks 0/1%/10%/50%/90% of 435/139/32/4/2, df-by-rank slope −0.35 over the top 100 ranks,
// −0.75 to rank 1,000, −1.4 beyond. Synthetic (seed 42): 8,965 terms (3,198 Chinese), 27.0 per
// entry, 827/174/17/4/2, slopes −0.47, −1.03, −1.08: a little heavier than the real archive,
// which errs on the safe side for scale measurements.

/// Exponent and offset of the Zipf–Mandelbrot law of the word draw: a flat head, a steep tail.
const ZIPF_EXPONENT: f64 = 1.8;
const ZIPF_OFFSET: f64 = 50.0;
/// Ranks of the English and Chinese lexicons.
const LEXICON_RANKS: f64 = 2_000_000.0;
/// Latent topics, and the share of words drawn from the entry's topic.
const TOPICS: u64 = 40;
const TOPIC_SHARE: f64 = 0.35;
/// Ranks of each topic's own lexicon.
const TOPIC_RANKS: f64 = 150.0;

/// Common Chinese characters, most frequent first (a general frequency list of modern Chinese,
/// not the archive's). Characters that could spell the parser's markers (删, 除: withdrawn
/// placeholders; 赞, 猫: promotions) are left out.
const CJK_POOL: &str = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵";

/// Function words: a real text's most frequent words, which the tokenizer drops as stop words
/// (general lists of both languages, not the archive's words), and their share of the words.
const EN_FUNCTION_WORDS: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "is", "it", "for", "with", "on", "that", "this", "as", "by", "from",
    "an", "are", "can", "you", "how", "its", "your", "be", "at", "or", "which", "also",
];
const ZH_FUNCTION_WORDS: &[&str] = &[
    "的", "了", "和", "是", "在", "也", "与", "把", "被", "一个", "可以", "以及", "如何", "这个",
];
const FUNCTION_SHARE: f64 = 0.5;

/// Syllables of the English pseudo-words.
const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "cl",
    "dr", "fl", "gr", "pl", "pr", "qu", "sc", "sl", "sp", "st", "tr", "th", "sh", "ch", "",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "y", "ai", "ea", "io", "ou", "ee", "oo"];
const CODAS: &[&str] = &[
    "", "", "", "n", "r", "s", "t", "x", "ck", "ng", "m", "l", "ft", "sk",
];

/// The first issue's date: the real archive's first week.
const FIRST_DATE: (i32, u32, u32) = (2023, 5, 13);

/// The parser reads an issue number of up to five digits (`#N`), and issues are weekly files
/// whose year must keep four digits: at about 25 entries an issue, two million entries stay
/// below both limits.
pub const MAX_ENTRIES: u64 = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Parameters

/// What to generate. [`SynthParams::check`] validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthParams {
    /// Entries across all issues (the Chinese files; each has its translation).
    pub entries: u64,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthParamsError {
    #[error("a synthetic archive needs at least 1 entry (got 0)")]
    NoEntries,
    #[error("a synthetic archive holds at most {MAX_ENTRIES} entries (got {0}): issue numbers and dates would overflow")]
    TooManyEntries(u64),
}

/// Parameters that passed [`SynthParams::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSynthParams(SynthParams);

impl SynthParams {
    pub fn check(self) -> std::result::Result<CheckedSynthParams, SynthParamsError> {
        if self.entries == 0 {
            return Err(SynthParamsError::NoEntries);
        }
        if self.entries > MAX_ENTRIES {
            return Err(SynthParamsError::TooManyEntries(self.entries));
        }
        Ok(CheckedSynthParams(self))
    }
}

// ---------------------------------------------------------------------------------------------
// Records

/// One generated issue, both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthIssue {
    pub number: u32,
    pub date: NaiveDate,
    pub titles_only: bool,
    /// Entries in section order (article, project, media, discussion, book).
    pub entries: Vec<SynthEntry>,
}

/// One generated entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthEntry {
    pub category: Category,
    pub title: String,
    pub en_title: String,
    /// Empty in title-only issues.
    pub url: String,
    pub lang: Lang,
    pub description: String,
    pub en_description: String,
    /// The URL of an earlier issue's entry.
    pub reshared: bool,
}

// ---------------------------------------------------------------------------------------------
// Generation

/// A seeded stream of issues holding `entries` entries in all.
pub struct Generator {
    rng: Xoshiro256PlusPlus,
    lexicon_seed: u64,
    cjk: Vec<char>,
    remaining: u64,
    number: u32,
    date: NaiveDate,
    /// Serial number of the next fresh URL.
    serial: u64,
    /// The (URL, title, English title) of the last issues' linked entries, newest last: the
    /// candidates for a re-share.
    recent: VecDeque<Vec<(String, String, String)>>,
}

impl Generator {
    pub fn new(params: &CheckedSynthParams) -> Generator {
        let p = &params.0;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(p.seed);
        let lexicon_seed = rng.next_u64();
        let (y, m, d) = FIRST_DATE;
        Generator {
            rng,
            lexicon_seed,
            cjk: CJK_POOL.chars().collect(),
            remaining: p.entries,
            number: 0,
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
            serial: 0,
            recent: VecDeque::new(),
        }
    }

    fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// A value drawn from a quantile table, rounded.
    fn quantile(&mut self, table: &[(f64, f64)]) -> usize {
        let u = self.unit();
        let k = table
            .iter()
            .position(|&(q, _)| q >= u)
            .unwrap_or(table.len() - 1)
            .max(1);
        let ((q0, v0), (q1, v1)) = (table[k - 1], table[k]);
        let t = if q1 > q0 { (u - q0) / (q1 - q0) } else { 0.0 };
        (v0 + t * (v1 - v0)).round().max(0.0) as usize
    }

    /// A rank (0-based) from the Zipf–Mandelbrot law `(rank + offset)^-exponent` over `ranks`, by
    /// the inverse of its continuous CDF.
    fn zipf(&mut self, exponent: f64, offset: f64, ranks: f64) -> u64 {
        let u = self.unit();
        let (lo, hi) = (offset.max(1.0), offset.max(1.0) + ranks);
        let one_minus = 1.0 - exponent;
        let x = if one_minus.abs() < 1e-9 {
            lo * (hi / lo).powf(u)
        } else {
            (lo.powf(one_minus) + u * (hi.powf(one_minus) - lo.powf(one_minus))).powf(1.0 / one_minus)
        };
        (x - lo).max(0.0) as u64
    }

    /// A word's rank: from the entry's topic lexicon or the global one.
    fn rank(&mut self, topic: u64) -> u64 {
        if self.chance(TOPIC_SHARE) {
            let r = self.zipf(ZIPF_EXPONENT, ZIPF_OFFSET, TOPIC_RANKS);
            // A topic's words sit among the mid-frequency ranks of the global lexicon.
            50 + splitmix64(topic << 32 | r) % 20_000
        } else {
            self.zipf(ZIPF_EXPONENT, ZIPF_OFFSET, LEXICON_RANKS)
        }
    }

    fn english_word(&self, rank: u64, out: &mut String) {
        let mut h = splitmix64(self.lexicon_seed ^ rank.wrapping_mul(0x9E37_79B9));
        // Frequent words are short, as in any language.
        let syllables = 1 + h % 2 + u64::from(rank > 2_000);
        for _ in 0..syllables {
            h = splitmix64(h);
            out.push_str(ONSETS[(h % ONSETS.len() as u64) as usize]);
            out.push_str(VOWELS[((h >> 16) % VOWELS.len() as u64) as usize]);
            out.push_str(CODAS[((h >> 32) % CODAS.len() as u64) as usize]);
        }
    }

    fn chinese_word(&self, rank: u64, out: &mut String) -> usize {
        let mut h = splitmix64(self.lexicon_seed.rotate_left(17) ^ rank.wrapping_mul(0xA24B_AED4));
        let len = match h % 20 {
            0..=2 => 1,
            3..=16 => 2,
            _ => 3,
        };
        for _ in 0..len {
            h = splitmix64(h);
            // Skewed towards the pool's frequent head, as character use is.
            let u = (h >> 11) as f64 / (1u64 << 53) as f64;
            out.push(self.cjk[((u * u) * self.cjk.len() as f64) as usize % self.cjk.len()]);
        }
        len as usize
    }

    /// Chinese text of about `cjk` characters with English words mixed in at `ascii_per_cjk`,
    /// clauses closed by "，" and the text by "。" when `sentence`.
    fn chinese_text(&mut self, topic: u64, cjk: usize, ascii_per_cjk: f64, sentence: bool) -> String {
        let mut out = String::new();
        let mut written = 0;
        let mut clause = 0;
        while written < cjk.max(1) {
            if self.chance(ascii_per_cjk * 2.0) {
                let rank = self.rank(topic);
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                self.english_word(rank, &mut out);
                out.push(' ');
            }
            let n = if self.chance(FUNCTION_SHARE) {
                let word = ZH_FUNCTION_WORDS[self.below(ZH_FUNCTION_WORDS.len())];
                out.push_str(word);
                word.chars().count()
            } else {
                let rank = self.rank(topic);
                self.chinese_word(rank, &mut out)
            };
            written += n;
            clause += n;
            if sentence && clause > 8 + self.below(10) && written < cjk {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('，');
                clause = 0;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        if sentence {
            out.push('。');
        }
        out
    }

    /// English text of `words` words, capitalised, closed by "." when `sentence`.
    fn english_text(&mut self, topic: u64, words: usize, sentence: bool) -> String {
        let mut out = String::new();
        for i in 0..words.max(1) {
            if i > 0 {
                out.push(' ');
            }
            let start = out.len();
            if i > 0 && self.chance(FUNCTION_SHARE) {
                out.push_str(EN_FUNCTION_WORDS[self.below(EN_FUNCTION_WORDS.len())]);
            } else {
                let rank = self.rank(topic);
                self.english_word(rank, &mut out);
            }
            if i == 0 {
                let first = out[start..].chars().next().map(|c| c.to_ascii_uppercase());
                if let Some(c) = first {
                    out.replace_range(start..start + 1, &c.to_string());
                }
            }
            if sentence && i + 1 < words && self.chance(0.08) {
                out.push(',');
            }
        }
        if sentence {
            out.push('.');
        }
        out
    }

    fn category(&mut self) -> Category {
        let total: f64 = CATEGORY_MIX.iter().map(|(_, s)| s).sum();
        let mut u = self.unit() * total;
        for &(c, share) in CATEGORY_MIX {
            if u < share {
                return c;
            }
            u -= share;
        }
        Category::Article
    }

    fn fresh_url(&mut self, category: Category, topic: u64) -> String {
        self.serial += 1;
        let mut slug = String::new();
        let rank = self.rank(topic);
        self.english_word(rank, &mut slug);
        let site = self.zipf(1.1, 1.0, 5_000.0);
        let mut host = String::new();
        self.english_word(site + 10_000_000, &mut host);
        match category {
            Category::Project => format!("https://github.com/{host}/{slug}-{:x}", self.serial),
            _ => format!("https://{host}.example.com/posts/{slug}-{:x}", self.serial),
        }
    }

    fn entry(&mut self, category: Category, titles_only: bool, used: &[String]) -> SynthEntry {
        let topic = self.rng.next_u64() % TOPICS;
        let lang = if self.chance(LANG_EN_SHARE) {
            Lang::En
        } else {
            Lang::Zh
        };
        let mut reshared = None;
        if !titles_only && self.chance(RESHARE_SHARE) {
            let gap = self.quantile(RESHARE_GAP).max(1);
            if let Some(earlier) = self
                .recent
                .len()
                .checked_sub(gap)
                .and_then(|i| self.recent.get(i))
            {
                if !earlier.is_empty() {
                    let pick = &earlier[self.rng.next_u64() as usize % earlier.len()];
                    if !used.contains(&pick.0) {
                        reshared = Some(pick.clone());
                    }
                }
            }
        }
        let (title, en_title) = match &reshared {
            Some((_, title, en_title)) => (title.clone(), en_title.clone()),
            None => {
                let cjk = self.quantile(TITLE_CJK);
                let ascii = self.quantile(TITLE_ASCII);
                let title = self.chinese_text(topic, cjk, ascii as f64 / cjk.max(1) as f64, false);
                let words = self.quantile(EN_TITLE_WORDS);
                (title, self.english_text(topic, words, false))
            }
        };
        if titles_only {
            return SynthEntry {
                category,
                title,
                en_title,
                url: String::new(),
                lang,
                description: String::new(),
                en_description: String::new(),
                reshared: false,
            };
        }
        let url = match &reshared {
            Some((url, _, _)) => url.clone(),
            None => self.fresh_url(category, topic),
        };
        let cjk = self.quantile(DESCRIPTION_CJK);
        let mut description = self.chinese_text(topic, cjk, ASCII_PER_CJK, true);
        let words = self.quantile(EN_DESCRIPTION_WORDS);
        let mut en_description = self.english_text(topic, words, true);
        if self.chance(EXTRA_LINKS_PER_ENTRY) {
            let link = self.fresh_url(Category::Article, topic);
            let mut text = String::new();
            let rank = self.rank(topic);
            self.english_word(rank, &mut text);
            let _ = write!(description, "见 [{text}]({link})。");
            let _ = write!(en_description, " See [{text}]({link}).");
        }
        if self.chance(IMAGE_SHARE) {
            let _ = write!(
                description,
                "\n\n![](https://img.example.com/{:x}.png)",
                self.serial
            );
        }
        SynthEntry {
            category,
            title,
            en_title,
            url,
            lang,
            description,
            en_description,
            reshared: reshared.is_some(),
        }
    }
}

impl Iterator for Generator {
    type Item = SynthIssue;

    fn next(&mut self) -> Option<SynthIssue> {
        if self.remaining == 0 {
            return None;
        }
        let size = (self.quantile(ENTRIES_PER_ISSUE).max(1) as u64).min(self.remaining);
        self.remaining -= size;
        self.number += 1;
        let date = self.date;
        self.date = self.date.checked_add_days(Days::new(7)).unwrap_or(self.date);
        let titles_only = self.chance(TITLES_ONLY_SHARE);
        // Title-only issues print their sections as bold lines, which name no book section.
        let mut categories: Vec<Category> = (0..size)
            .map(|_| match self.category() {
                Category::Book if titles_only => Category::Article,
                c => c,
            })
            .collect();
        categories.sort();
        let mut entries: Vec<SynthEntry> = Vec::with_capacity(categories.len());
        let mut used = Vec::new();
        for category in categories {
            let entry = self.entry(category, titles_only, &used);
            used.push(entry.url.clone());
            entries.push(entry);
        }
        let linked = entries
            .iter()
            .filter(|e| !e.url.is_empty())
            .map(|e| (e.url.clone(), e.title.clone(), e.en_title.clone()))
            .collect();
        self.recent.push_back(linked);
        while self.recent.len() > 100 {
            self.recent.pop_front();
        }
        Some(SynthIssue {
            number: self.number,
            date,
            titles_only,
            entries,
        })
    }
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn heading_zh(category: Category) -> &'static str {
    match category {
        Category::Article => "🦄文章&教程",
        Category::Project => "🐿️项目&资源",
        Category::Media => "🐢播客&视频",
        Category::Discussion => "🐱讨论&问题",
        Category::Book => "📚赠书",
        Category::Other => "其它",
    }
}

fn heading_en(category: Category) -> &'static str {
    match category {
        Category::Article => "🦄Articles & Tutorials",
        Category::Project => "🐿️Projects & Resources",
        Category::Media => "🐢Podcasts & Videos",
        Category::Discussion => "🐱Discussions & Questions",
        Category::Book => "📚Books",
        Category::Other => "Other",
    }
}

/// Circled numbers ① … ㊿ as the title-only issues print them.
fn circled(n: usize) -> char {
    let code = match n {
        1..=20 => 0x2460 + n as u32 - 1,
        21..=35 => 0x3251 + n as u32 - 21,
        _ => 0x32B1 + n.clamp(36, 50) as u32 - 36,
    };
    char::from_u32(code).unwrap_or('①')
}

/// Sections in order, each with its entries.
fn sections(issue: &SynthIssue) -> Vec<(Category, Vec<&SynthEntry>)> {
    let mut out: Vec<(Category, Vec<&SynthEntry>)> = Vec::new();
    for e in &issue.entries {
        match out.last_mut() {
            Some((c, list)) if *c == e.category => list.push(e),
            _ => out.push((e.category, vec![e])),
        }
    }
    out
}

/// The Chinese issue file.
pub fn render_zh(issue: &SynthIssue) -> String {
    let mut out = String::new();
    let first = issue.entries.first().map_or("", |e| e.title.as_str());
    let _ = write!(
        out,
        "---\ntitle: 'Python 潮流周刊#{}：{first}'\npubDate: {}\nauthor: '合成数据'\n---\n\n",
        issue.number, issue.date
    );
    out.push_str("这是 weeklens synth 生成的合成周刊，用于规模测试。\n\n");
    let count = |c: Category| issue.entries.iter().filter(|e| e.category == c).count();
    let parts: Vec<String> = [
        (Category::Article, "篇文章"),
        (Category::Project, "个开源项目"),
        (Category::Media, "则音视频"),
        (Category::Discussion, "则热门讨论"),
    ]
    .into_iter()
    .filter(|&(c, _)| count(c) > 0)
    .map(|(c, word)| format!("{} {word}", count(c)))
    .collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "本期分享了 {}。\n", parts.join("，"));
    }
    for (category, entries) in sections(issue) {
        if issue.titles_only {
            let _ = writeln!(out, "**{}**\n", heading_zh(category));
            for (i, e) in entries.iter().enumerate() {
                let _ = writeln!(out, "{} {}", circled(i + 1), e.title);
            }
            out.push('\n');
            continue;
        }
        let _ = writeln!(out, "## {}\n", heading_zh(category));
        for (i, e) in entries.iter().enumerate() {
            let marker = if e.lang == Lang::En { "（英文）" } else { "" };
            let _ = writeln!(out, "{}、[{}]({}){marker}\n", i + 1, e.title, e.url);
            let _ = writeln!(out, "{}\n", e.description);
        }
    }
    out
}

/// The English translation of the issue.
pub fn render_en(issue: &SynthIssue) -> String {
    let mut out = String::new();
    let first = issue.entries.first().map_or("", |e| e.en_title.as_str());
    let _ = write!(
        out,
        "---\ntitle: 'Python Trending Weekly #{}: {first}'\npubDate: {}\nauthor: 'synthetic'\n---\n\n",
        issue.number, issue.date
    );
    out.push_str("A synthetic issue written by weeklens synth for scale measurements.\n\n");
    for (category, entries) in sections(issue) {
        if issue.titles_only {
            let _ = writeln!(out, "**{}**\n", heading_en(category));
            for (i, e) in entries.iter().enumerate() {
                let _ = writeln!(out, "{} {}", circled(i + 1), e.en_title);
            }
            out.push('\n');
            continue;
        }
        let _ = writeln!(out, "## {}\n", heading_en(category));
        for (i, e) in entries.iter().enumerate() {
            let _ = writeln!(out, "{}、[{}]({})\n", i + 1, e.en_title, e.url);
            let _ = writeln!(out, "{}\n", e.en_description);
        }
    }
    out
}

/// The file name of an issue.
pub fn file_name(issue: &SynthIssue) -> String {
    format!("{}-weekly.md", issue.date)
}

// ---------------------------------------------------------------------------------------------
// Writing

/// What [`write`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SynthSummary {
    pub issues: u32,
    pub entries: u64,
    pub reshared: u64,
    pub titles_only: u32,
    /// Bytes of both languages.
    pub bytes: u64,
}

/// Writes the archive into `out` (created if missing), one issue at a time: `out/DATE-weekly.md`
/// and `out/en/DATE-weekly.md`.
pub fn write(params: &CheckedSynthParams, out: &Path) -> Result<SynthSummary> {
    // Its file names are those of a real archive's first issues: never written over anything.
    match fs::read_dir(out) {
        Ok(entries) => {
            if entries.into_iter().next().is_some() {
                return Err(Error::SynthOutNotEmpty(out.to_path_buf()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) if out.exists() => return Err(Error::SynthOutNotEmpty(out.to_path_buf())),
        Err(source) => {
            return Err(Error::Io {
                path: out.to_path_buf(),
                source,
            })
        }
    }
    let en = out.join("en");
    fs::create_dir_all(&en).map_err(|source| Error::Io {
        path: en.clone(),
        source,
    })?;
    let mut summary = SynthSummary::default();
    for issue in Generator::new(params) {
        let name = file_name(&issue);
        for (path, text) in [
            (out.join(&name), render_zh(&issue)),
            (en.join(&name), render_en(&issue)),
        ] {
            write_file(&path, text.as_bytes())?;
            summary.bytes += text.len() as u64;
        }
        summary.issues += 1;
        summary.entries += issue.entries.len() as u64;
        summary.reshared += issue.entries.iter().filter(|e| e.reshared).count() as u64;
        summary.titles_only += u32::from(issue.titles_only);
    }
    Ok(summary)
}

fn write_file(path: &PathBuf, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut file = fs::File::create(path).map_err(io)?;
    file.write_all(bytes).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(entries: u64, seed: u64) -> CheckedSynthParams {
        SynthParams { entries, seed }.check().expect("valid")
    }

    #[test]
    fn check_rejects_each_bad_parameter() {
        assert_eq!(
            SynthParams { entries: 0, seed: 1 }.check(),
            Err(SynthParamsError::NoEntries)
        );
        assert_eq!(
            SynthParams {
                entries: MAX_ENTRIES + 1,
                seed: 1
            }
            .check(),
            Err(SynthParamsError::TooManyEntries(MAX_ENTRIES + 1))
        );
    }

    #[test]
    fn generates_exactly_the_requested_entries() {
        for n in [1, 7, 25, 1001] {
            let total: usize = Generator::new(&params(n, 3)).map(|i| i.entries.len()).sum();
            assert_eq!(total as u64, n);
        }
    }

    #[test]
    fn same_seed_same_text_other_seed_other_text() {
        let render = |seed| {
            Generator::new(&params(300, seed))
                .map(|i| render_zh(&i) + &render_en(&i))
                .collect::<String>()
        };
        assert_eq!(render(5), render(5));
        assert_ne!(render(5), render(6));
    }

    #[test]
    fn issues_are_weekly_and_numbered_in_order() {
        let issues: Vec<SynthIssue> = Generator::new(&params(500, 1)).collect();
        for pair in issues.windows(2) {
            assert_eq!(pair[1].number, pair[0].number + 1);
            assert_eq!((pair[1].date - pair[0].date).num_days(), 7);
        }
    }

    #[test]
    fn reshares_reuse_an_earlier_url_and_never_one_of_the_same_issue() {
        let issues: Vec<SynthIssue> = Generator::new(&params(60_000, 2)).collect();
        let mut earlier = std::collections::HashSet::new();
        let mut reshared = 0;
        for issue in &issues {
            let mut here = std::collections::HashSet::new();
            for e in issue.entries.iter().filter(|e| !e.url.is_empty()) {
                assert!(
                    here.insert(e.url.clone()),
                    "a URL twice in issue #{}",
                    issue.number
                );
                assert_eq!(e.reshared, earlier.contains(&e.url), "{}", e.url);
                reshared += usize::from(e.reshared);
            }
            earlier.extend(here);
        }
        let linked = issues
            .iter()
            .flat_map(|i| &i.entries)
            .filter(|e| !e.url.is_empty())
            .count();
        let share = reshared as f64 / linked as f64;
        assert!((0.004..0.011).contains(&share), "re-share share {share}");
    }
}
