//! A name's gender: from its title, else its first name, else the pronouns that follow its mentions; and the pet
//! forms of given names.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Gender;
use super::names::Evidence;
use crate::attribution::{key, title};

impl Evidence {
    /// The gender of `name`: its title's, else its first name's (unless the pronouns clearly say otherwise),
    /// else the pronouns' majority.
    pub(super) fn gender(&self, name: &str) -> Gender {
        let first = name.split_whitespace().next().map(key).unwrap_or_default();
        match title(&first) {
            Some(g) if g != Gender::Unknown => g,
            _ => self.weighed(name_gender(name)),
        }
    }

    /// The pronouns' majority, or `given` (a first name's gender) unless at least three pronouns and twice as
    /// many as agree with it say otherwise: the pronoun after a name is often someone else's.
    pub(super) fn weighed(&self, given: Option<Gender>) -> Gender {
        let (with, against) = match given {
            Some(Gender::Male) => (self.male, self.female),
            Some(Gender::Female) => (self.female, self.male),
            _ => (0, 0),
        };
        match given {
            Some(g) if g != Gender::Unknown && (against < 3 || against <= 2 * with) => g,
            _ if self.male > self.female => Gender::Male,
            _ if self.female > self.male => Gender::Female,
            _ => Gender::Unknown,
        }
    }
}

/// Common given names of women, lowercase, separated by spaces: the gender a first name shows when the pronouns
/// are few or mixed.
const FEMALE_NAMES: &str = "\
    abigail ada adela adelaide agatha agnes alexandra alice amanda amelia amy angela ann anna anne annie arabella \
    augusta barbara beatrice beatrix bella belle bertha bess bessie beth betsey betsy betty blanche bridget \
    carlotta carol caroline carrie cassandra catharine catherine cecilia cecily celia charlotte christina \
    christine claire clara clare constance cora cordelia cynthia daisy deborah delia diana dinah dolly dora doris \
    dorothea dorothy edith edna eleanor elinor eliza elizabeth ella ellen elsie emily emma emmeline esther ethel \
    eugenia eva eve evelina fanny flora florence frances georgiana georgina gertrude gladys grace gwendolen hannah \
    harriet hattie hazel helen helena henrietta hester hetty hilda honora ida irene isabel isabella isabelle jane \
    janet jemima jennie jenny jessie joan joanna josephine judith judy julia juliana julie juliet kate katherine \
    kathleen katie kitty laura lavinia leah leonora letty lilian lillian lily lizzie lizzy lottie louisa louise \
    lucia lucilla lucinda lucretia lucy lydia mabel madeleine madeline maggie mamie marcia margaret margery \
    marguerite maria marian marianne marie marion marjorie martha mary matilda maud maude meg mildred minnie \
    miriam molly muriel myra nancy nell nellie nelly nettie nora norah octavia olive olivia pamela pauline peggy \
    penelope phoebe phyllis polly priscilla prudence rachel rebecca rhoda rosa rosalind rosamond rose rosie ruth \
    sadie sally sara sarah selina sophia sophie sophy stella susan susanna susannah susie sybil sylvia tabitha \
    teresa tess thea theresa ursula vera victoria violet virginia wilhelmina winifred winnie";

/// Common given names of men, lowercase, separated by spaces.
const MALE_NAMES: &str = "\
    aaron abel abraham adam adolphus alan albert alec alexander alfred algernon allan ambrose amos andrew andy \
    angus anthony antonio archibald archie arthur august augustus barnaby bartholomew basil ben benjamin bernard \
    bert bertie bertram bill billy bob bobby carl cecil charles charley charlie christopher clarence claude \
    clement cyril dan daniel david davy dennis dick donald douglas duncan edgar edmund edward edwin eli elijah \
    emil enoch ephraim ernest eugene ezra felix ferdinand fergus francis frank franz fred freddie freddy frederick \
    gabriel geoffrey george gerald gilbert giles godfrey gordon gregory guy hans harold harry hector henry herbert \
    herman hiram homer horace howard hubert hugh hugo humphrey ichabod isaac ivan jack jacob jake james jasper jem \
    jeremiah jeremy jerome jerry jesse jim jimmy joe joel john johnny jonas jonathan joseph joshua josiah julian \
    julius karl kenneth laurence lawrence leonard lewis lionel louis lucas lucius luke malcolm marcus mark martin \
    matthew maurice michael mike mortimer moses nathan nathaniel ned neville nicholas nick noah norman obadiah \
    oliver oscar otto owen patrick paul percy peter phil philip pierre ralph randolph raymond reginald reuben \
    richard rob robert roderick roger roland ronald roy rudolf rudolph rufus rupert samuel sebastian seth sid \
    sidney silas simon solomon stanley stephen steven stewart stuart sylvester ted teddy theodore thomas tim \
    timothy tobias toby tom tommy tony victor vincent wallace walter wilfred will william willie willy zachary";

/// The gender a name's first given name shows (`Emma Woodhouse` female), skipping a title.
pub(super) fn name_gender(name: &str) -> Option<Gender> {
    static GIVEN: LazyLock<HashMap<&'static str, Gender>> = LazyLock::new(|| {
        let male = MALE_NAMES.split_whitespace().map(|n| (n, Gender::Male));
        male.chain(FEMALE_NAMES.split_whitespace().map(|n| (n, Gender::Female))).collect()
    });
    let first = name.split_whitespace().map(key).find(|w| title(w).is_none())?;
    GIVEN.get(first.as_ref()).copied()
}

/// Given names and the pet forms that do not begin with them (`Jack` for `John`, `Polly` for `Mary`): a short form
/// that does (`Sid` for `Sidney`) needs no list. Each line is a given name, then its pet forms.
const PET_NAMES: &[(&str, &[&str])] = &[
    ("john", &["jack", "jackie", "johnny"]),
    ("james", &["jim", "jimmy", "jem", "jamie"]),
    ("william", &["bill", "billy", "will", "willie", "willy"]),
    ("robert", &["bob", "bobby", "rob", "robin", "bert"]),
    ("richard", &["dick", "dicky", "rick"]),
    ("edward", &["ned", "ted", "teddy", "eddie"]),
    ("henry", &["harry", "hal", "hank"]),
    ("thomas", &["tom", "tommy"]),
    ("charles", &["charley", "charlie", "chuck"]),
    ("anthony", &["tony"]),
    ("alexander", &["sandy", "alec", "alick"]),
    ("christopher", &["kit", "chris"]),
    ("theodore", &["ted", "teddy"]),
    ("lawrence", &["larry", "laurie"]),
    ("laurence", &["larry", "laurie"]),
    ("margaret", &["meg", "maggie", "peggy", "daisy", "madge", "margery"]),
    ("mary", &["polly", "molly", "mamie", "mollie"]),
    ("elizabeth", &["bess", "bessie", "betsy", "betsey", "betty", "lizzie", "lizzy", "liz", "beth", "eliza"]),
    ("sarah", &["sally", "sadie"]),
    ("catherine", &["kate", "kitty", "katie", "kit"]),
    ("katherine", &["kate", "kitty", "katie", "kit"]),
    ("anne", &["nancy", "nan", "annie"]),
    ("ann", &["nancy", "nan", "annie"]),
    ("frances", &["fanny"]),
    ("martha", &["patty", "patsy", "mattie"]),
    ("dorothy", &["dolly", "dora", "dot"]),
    ("susan", &["sukey", "sue", "susie"]),
    ("helen", &["nell", "nelly", "nellie"]),
    ("ellen", &["nell", "nelly", "nellie"]),
    ("eleanor", &["nell", "nelly", "nellie", "nora"]),
    ("jane", &["jenny", "jennie", "janey"]),
    ("hester", &["hetty"]),
    ("abigail", &["nabby", "abby"]),
];

/// Whether `pet` is a pet form of the given name `given` that does not begin with it (`Jack` of `John`), both
/// lowercase.
pub(super) fn is_pet_name(pet: &str, given: &str) -> bool {
    PET_NAMES.iter().any(|(name, pets)| *name == given && pets.contains(&pet))
}

/// Whether `word` (lowercase) is a given name with pet forms, or one of them: the names [`is_pet_name`] may join.
pub(super) fn has_pet_forms(word: &str) -> bool {
    PET_NAMES.iter().any(|(name, pets)| *name == word || pets.contains(&word))
}
