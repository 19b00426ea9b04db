//! Tests of the roster rules, one small story per rule.

use super::*;
use crate::{script, story};

fn roster_of(text: &str) -> Roster {
    let story = story::parse(text.as_bytes()).expect("fixture parses");
    let script = script::segment(&story);
    detect(&story, &script)
}

fn names(roster: &Roster) -> Vec<&str> {
    roster.characters.iter().map(|c| c.name.as_str()).collect()
}

fn find<'a>(roster: &'a Roster, name: &str) -> &'a Character {
    roster.characters.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name} in {roster:?}"))
}

#[test]
fn names_that_speak_or_act_are_characters() {
    let roster = roster_of(
        "\"We must go,\" said Tom. Anna nodded and took her coat. Tom followed Anna.\n\nThey drove to London. Nightfall came. \
         \"Ask Dru,\" Tom said.\n",
    );
    assert_eq!(names(&roster), ["Tom", "Anna"]);
}

#[test]
fn sentence_initial_words_and_places_are_not_characters() {
    let roster = roster_of(
        "Memories flooded back. Pain rolled in. They lived in Paris and loved Paris.\n\nFear crept in. A cold fear.\n",
    );
    assert!(roster.characters.is_empty(), "{roster:?}");
}

#[test]
fn a_single_word_with_one_verb_alone_is_no_person_unless_a_pronoun_follows() {
    let roster = roster_of(
        "\"We must go,\" said Tom. The Chicago brokers waited. By noon Vienna glittered below. Tom laughed.\n\n\
         Then Morris arrived, and he sat down. Tom asked:\n\n\"Go?\"\n\nCantwell had answered:\n\n\"No.\"\n",
    );
    assert_eq!(names(&roster), ["Tom", "Cantwell", "Morris"]);
}

#[test]
fn a_name_that_qualifies_a_noun_or_names_a_place_acts_in_none() {
    for text in [
        // After a determiner (`his London rooms`).
        "\"Go,\" said Tom. Tom left his London rooms, and their Boston friends waited.\n",
        // Before a place word (`Onslow gardens`).
        "\"Go,\" said Tom. Tom had lived at Onslow gardens, and Onslow gardens was quiet.\n",
    ] {
        assert_eq!(names(&roster_of(text)), ["Tom"], "{text}");
    }
}

#[test]
fn a_name_after_of_is_not_the_subject_unless_it_is_a_persons_name() {
    // The verb after `the doctor of Fairbridge` is the doctor's.
    let text = "\"Go,\" said Tom. The doctor of Fairbridge had patients, and the mayor of Fairbridge said so.\n";
    assert_eq!(names(&roster_of(text)), ["Tom"], "{text}");
    // `by the name of` brings a person in.
    let roster = roster_of("There lived a teacher by the name of Ezra Pike, who taught the children.\n");
    assert_eq!(names(&roster), ["Ezra Pike"]);
}

#[test]
fn a_name_set_off_after_a_description_is_a_character() {
    // Named once, as an apposition to the description before it, the subject of the verb after it.
    let roster = roster_of("Toward evening my good friend, Ezra Pike, was at the gate and would speak with us.\n");
    assert_eq!(names(&roster), ["Ezra Pike"]);
    // Between commas with no description before, a name is only listed.
    let roster = roster_of("We met the farmers, Ezra Pike, and others at the gate.\n");
    assert!(roster.characters.is_empty(), "{roster:?}");
}

#[test]
fn master_before_a_name_is_an_alias_not_the_name() {
    let roster = roster_of("\"Good evening,\" said Master Ezra Pike. Master Ezra Pike took off his hat.\n");
    let pike = find(&roster, "Ezra Pike");
    assert_eq!(pike.aliases, ["Master Ezra Pike"]);
    assert_eq!(pike.gender, Gender::Male);
}

#[test]
fn a_word_with_a_lowercase_part_after_a_hyphen_is_no_name() {
    let text = "\"Good-evening, doctor,\" said Tom.\n\n\"Good-evening, Tom,\" said Anna.\n";
    let roster = roster_of(text);
    let mut found = names(&roster);
    found.sort_unstable();
    assert_eq!(found, ["Anna", "Tom"], "{text}");
}

#[test]
fn a_description_whose_person_gives_their_name_is_that_character() {
    let roster = roster_of(
        "Mary Lennox ran in. Mary sat down.\n\n\"I am Mary Lennox,\" the little girl said.\n\n\"Yes,\" said the \
         little girl.\n",
    );
    assert_eq!(names(&roster), ["Mary Lennox"], "{roster:?}");
    assert!(find(&roster, "Mary Lennox").aliases.contains(&"The little girl".to_owned()), "{roster:?}");
}

#[test]
fn a_name_the_narration_gives_someone_is_a_character() {
    for (text, name) in [
        ("The officer, whose name was Blakeney, tapped at the door.\n", "Blakeney"),
        ("There came a clerk named Jennings, with a letter.\n", "Jennings"),
    ] {
        assert_eq!(names(&roster_of(text)), [name], "{text}");
    }
}

#[test]
fn a_stranger_speaks_when_no_one_of_the_tags_gender_is_named() {
    let roster = roster_of(
        "Anna sat by the window. She felt a man behind her.\n\n\"Fine day,\" he said.\n\n\"Yes,\" said Anna.\n\n\
         \"Going far?\" he asked.\n",
    );
    assert_eq!(names(&roster), ["Anna", "A man"]);
    assert_eq!(find(&roster, "A man").gender, Gender::Male);
    // With a man named, `he` is most often him: nobody new is needed.
    let roster = roster_of(
        "Anna sat by Tom. Tom smiled. She felt a man behind her.\n\n\"Fine day,\" he said.\n\n\"Yes,\" said Anna.\n",
    );
    assert!(!names(&roster).contains(&"A man"), "{roster:?}");
}

#[test]
fn a_bare_description_is_the_man_the_scene_names_next() {
    let roster = roster_of(
        "Dick sat on the steps.\n\n\"How much?\" asked a gentleman.\n\n\"Ten cents,\" said Dick.\n\n\
         \"Too much,\" said the gentleman.\n\n\"Yes,\" said the gentleman.\n\n\"What name?\"\n\n\
         \"Greyson, second floor.\"\n\nMr. Greyson walked away. Dick smiled.\n",
    );
    assert!(find(&roster, "Mr. Greyson").aliases.contains(&"The gentleman".to_owned()), "{roster:?}");
    assert!(!names(&roster).contains(&"The gentleman"), "{roster:?}");
}

#[test]
fn a_relative_who_tags_speaks_when_no_one_of_their_gender_is_named() {
    let roster = roster_of(
        "Henry sat down. A girl passed.\n\n\"Henry, don't be a fool,\" his mother had replied.\n\n\
         \"I will go,\" said Henry.\n\n\"Go then,\" she said.\n",
    );
    assert!(names(&roster).contains(&"His mother"), "{roster:?}");
    assert_eq!(find(&roster, "His mother").gender, Gender::Female);
}

#[test]
fn a_name_the_quotes_address_twice_is_a_character() {
    let roster = roster_of(
        "\"Henry, don't go,\" she begged.\n\n\"Ma, I must.\"\n\n\"Take care, Henry.\"\n\n\"Yes'm, Ma.\"\n\n\
         \"Yes'm.\"\n\n\"Bring Jim.\"\n",
    );
    assert_eq!(names(&roster), ["Henry"]);
    assert_eq!(find(&roster, "Henry").gender, Gender::Male);
}

#[test]
fn a_given_name_the_quotes_address_once_is_a_character() {
    let roster = roster_of("\"Am I right, Jack?\"\n\n\"Surely, sir.\"\n\n\"Excellent, Watson!\"\n");
    assert_eq!(names(&roster), ["Jack"]);
    assert_eq!(find(&roster, "Jack").gender, Gender::Male);
}

#[test]
fn aliases_merge_with_the_name_they_belong_to() {
    let roster = roster_of(
        "Mr. Bennet sat down. Bennet smiled. Emma Woodhouse laughed. Miss Woodhouse was tired. Emma said \
         nothing, and Emma left.\n\nWillow ran. \"Wil, wait,\" said Emma. Willow stopped.\n",
    );
    assert_eq!(find(&roster, "Mr. Bennet").aliases, ["Bennet"]);
    let emma = find(&roster, "Emma");
    assert!(emma.aliases.contains(&"Emma Woodhouse".to_owned()) && emma.aliases.contains(&"Miss Woodhouse".to_owned()));
    assert_eq!(find(&roster, "Willow").aliases, ["Wil"]);
}

#[test]
fn a_capitalised_opener_is_not_part_of_the_name() {
    let roster = roster_of(
        "Presently Tom stopped. Finally Tom said, \"No.\"\n\nI'll go, thought Ann. Ann ran.\n\n\"Yes,\" said Tom.\n",
    );
    assert_eq!(names(&roster), ["Tom", "Ann"]);
}

#[test]
fn short_forms_titled_forms_and_full_names_merge() {
    let roster = roster_of(
        "At once Sid laughed, and Sidney ran off. Then Dr. Archie came in; Dr. Howard Archie sat down. So Gabriel \
         smiled and Oak nodded. Everyone knew Gabriel Oak.\n",
    );
    assert_eq!(find(&roster, "Sidney").aliases, ["Sid"]);
    assert_eq!(find(&roster, "Dr. Howard Archie").aliases, ["Dr. Archie"]);
    let gabriel = roster.characters.iter().find(|c| c.name == "Gabriel" || c.name == "Oak");
    assert_eq!(gabriel.map(|c| c.aliases.len()), Some(1), "{roster:?}");
}

#[test]
fn a_pet_name_joins_the_given_name_it_stands_for() {
    let roster = roster_of(
        "John Reed came in. Then Jack laughed. \"Go away, Jack,\" said Meg. Margaret smiled. Margaret sat down.\n\n\
         \"No,\" said John.\n",
    );
    assert_eq!(names(&roster).len(), 2, "{roster:?}");
    let john = roster.characters.iter().find(|c| c.names().any(|n| n == "John Reed")).expect("John Reed");
    assert!(john.names().any(|n| n == "Jack"), "{roster:?}");
    // A pet name belongs to no one when two people have its given name.
    let roster = roster_of("John Reed came in. John Eyre sat down. At once Jack laughed, and Jack ran off.\n");
    assert!(names(&roster).contains(&"Jack"), "{roster:?}");
}

#[test]
fn people_who_speak_together_are_a_group() {
    let roster = roster_of(
        "\"Will you stay?\" asked Tom.\n\n\"I will!\" cried the ladies whose departure had been fixed.\n\n\
         Then the women began to weep.\n",
    );
    assert_eq!(names(&roster), ["Tom", "The ladies"]);
}

#[test]
fn a_given_name_only_quotes_call_joins_the_titled_speaker_they_answer() {
    let roster = roster_of(
        "\"It is late,\" said Miss Bartlett.\n\nLucy smiled. \"Charlotte, you mustn't spoil me.\"\n\n\
         \"Oh, Charlotte, stop,\" said Lucy.\n",
    );
    assert_eq!(find(&roster, "Miss Bartlett").aliases, ["Charlotte"], "{roster:?}");
    // Not when the quotes that call the name answer two different people.
    let roster = roster_of(
        "\"It is late,\" said Miss Bartlett.\n\n\"Charlotte, stop,\" said Lucy.\n\nLucy left. Later Miss Lavish \
         came.\n\n\"No,\" said Miss Lavish.\n\n\"Charlotte, stop,\" said Lucy.\n",
    );
    assert!(names(&roster).contains(&"Charlotte"), "{roster:?}");
}

#[test]
fn an_unnamed_person_who_acts_and_speaks_is_a_character() {
    let roster = roster_of(
        "The boy dropped his bundle. A girl was dancing.\n\n\"Who?\" cried the girl.\n\n\"Me,\" answered the \
         boy.\n",
    );
    assert_eq!(names(&roster), ["The boy", "The girl"]);
    assert_eq!(find(&roster, "The girl").gender, Gender::Female);
}

#[test]
fn an_adjective_in_ly_is_neither_verb_nor_head_and_a_possessive_form_stays() {
    let roster = roster_of(
        "The monthly nurse tried to help. The captain gradually brightened.\n\n\"Go,\" said the child's nurse.\n",
    );
    assert_eq!(names(&roster), ["The child's nurse"]);
    assert!(find(&roster, "The child's nurse").aliases.contains(&"the nurse".to_owned()), "{roster:?}");
}

#[test]
fn a_role_that_tags_speech_once_is_a_character_but_a_plain_person_is_not() {
    let roster = roster_of("\"Halt!\" said the turnpike-keeper.\n\n\"No,\" said the young man.\n");
    assert_eq!(names(&roster), ["The turnpike-keeper"]);
}

#[test]
fn a_description_in_a_tag_ends_before_an_article_an_adverb_or_a_relative_word() {
    let roster = roster_of(
        "\"Wake up,\" said the man a little impatiently. The man shook him.\n\n\"Go,\" said the ladies whose \
         departure was near.\n\n\"Now,\" said the porter wearily.\n",
    );
    assert_eq!(names(&roster), ["The man", "The ladies", "The porter"]);
}

#[test]
fn a_tag_that_follows_another_verb_and_announces_the_next_paragraph_counts() {
    let roster =
        roster_of("Just before I left, the old lady came up to my room and said in a low voice:\n\n\"Must you go?\"\n");
    assert_eq!(names(&roster), ["The old lady"]);
    assert_eq!(find(&roster, "The old lady").gender, Gender::Female);
}

#[test]
fn an_unnamed_person_who_acts_often_is_a_character_but_a_relative_is_not() {
    let roster = roster_of(
        "The girl flushed. The girl held out her hand. The girl smiled at last.\n\n\"Go,\" said the mother.\n\n\
         \"Now,\" said the mother.\n\nStreets led to Dover Street. Dover Street was busy, and Dover Street rang.\n",
    );
    assert_eq!(names(&roster), ["The girl"]);
}

#[test]
fn a_description_takes_the_name_that_starts_with_its_title() {
    let roster = roster_of(
        "\"I am Parson Tringham,\" said the parson.\n\n\"Ah,\" said the parson.\n\nDr. Archie sat. \"Well,\" said the \
         doctor.\n\n\"So,\" said the doctor.\n",
    );
    assert_eq!(find(&roster, "Parson Tringham").aliases, ["The parson"]);
    assert!(find(&roster, "Dr. Archie").aliases.contains(&"The doctor".to_owned()), "{roster:?}");
}

#[test]
fn a_description_shared_by_several_titled_names_is_the_one_named_last() {
    let roster = roster_of(
        "Sergeant Holt stood at the gate. Sergeant Marsh went home.\n\nMarsh waited. \"Fine,\" said Marsh.\n\n\
         Holt sat. \"Well,\" said Holt.\n\n\"Go,\" said the sergeant.\n\n\"Now,\" said the sergeant.\n",
    );
    assert!(find(&roster, "Holt").aliases.contains(&"The sergeant".to_owned()), "{roster:?}");
    assert!(names(&roster).iter().all(|n| *n != "The sergeant"), "{roster:?}");
}

#[test]
fn a_participle_before_by_is_no_speech_tag() {
    let roster =
        roster_of("\"So this is the house,\" was the comment suggested by the gate.\n\n\"Come,\" said the porter.\n");
    assert_eq!(names(&roster), ["The porter"]);
}

#[test]
fn someone_described_only_as_they_speak_is_a_character() {
    let roster = roster_of(
        "\"Goodwives,\" said a hard-featured dame of fifty, \"hear me.\"\n\n\"People say so,\" said another.\n\n\
         \"Well,\" said a porter who had come in late with the others.\n\n\"Oh,\" she laughed a little.\n\n\
         \"Ha,\" he laughed one of his deep laughs.\n\n\"Hush!\" cried a terrible voice.\n\n\"Ah, but,\" \
         interposed, more softly, a young wife, \"let her be.\"\n",
    );
    let names = names(&roster);
    assert!(names.contains(&"A hard-featured dame of fifty") && names.contains(&"Another"), "{roster:?}");
    assert!(names.contains(&"A young wife"), "{roster:?}");
    assert!(
        names.iter().all(|n| {
            !n.starts_with("A porter") && *n != "A little" && !n.starts_with("One") && !n.contains("voice")
        }),
        "{roster:?}"
    );
}

#[test]
fn an_indefinite_pronoun_that_speaks_is_a_character_and_speaks_its_lines() {
    let text = "\"Tell us,\" said Tom.\n\n\"We say, of course,\" somebody exclaimed, \"that it is late.\"\n\n\
                \"Won't you tell, Tom?\" asked someone else.\n";
    let story = story::parse(text.as_bytes()).expect("fixture parses");
    let mut script = script::segment(&story);
    let roster = detect(&story, &script);
    assert_eq!(names(&roster), ["Tom", "Somebody", "Someone else"]);
    crate::attribution::attribute(&story, &mut script, &roster);
    let speakers: Vec<&str> = script.segments.iter().filter_map(|s| s.speaker.as_deref()).collect();
    assert_eq!(speakers, ["Tom", "Somebody", "Somebody", "Someone else"]);
}

#[test]
fn a_full_name_joins_the_character_of_its_last_name() {
    let roster = roster_of("Crane smiled, and Crane ran. They spoke of Ichabod Crane.\n");
    assert_eq!(find(&roster, "Crane").aliases, ["Ichabod Crane"]);
    let roster = roster_of("Mr. Crane smiled, and Crane ran. They spoke of Ichabod Crane.\n");
    assert!(find(&roster, "Mr. Crane").aliases.iter().all(|a| a != "Ichabod Crane"), "{roster:?}");
}

#[test]
fn a_common_word_is_a_surname_after_a_title_and_a_first_name() {
    let roster = roster_of(
        "In came Captain John Good, and a good fire burned. Good has been running to fat.\n\n\"Three years,\" \
         said Good.\n",
    );
    assert_eq!(names(&roster), ["Captain John Good"]);
    assert_eq!(find(&roster, "Captain John Good").aliases, ["Good"]);
    let roster = roster_of("In came Captain Good. Good has been running to fat.\n\n\"Three years,\" said Good.\n");
    assert!(roster.characters.is_empty(), "{roster:?}");
}

#[test]
fn a_shared_last_name_stays_apart() {
    let roster = roster_of("Mr. Bennet sat down. Mrs. Bennet stood up. Bennet smiled.\n");
    assert_eq!(find(&roster, "Mr. Bennet").gender, Gender::Male);
    assert_eq!(find(&roster, "Mrs. Bennet").gender, Gender::Female);
    assert!(find(&roster, "Mr. Bennet").aliases.is_empty());
}

#[test]
fn a_bare_name_joins_its_titled_form_and_a_group_keeps_one_gender() {
    let roster = roster_of(
        "Sergeant Bibot sat. Bibot laughed, and Bibot ran.\n\nNesta Ford Pett smiled. Then Mr. Pett sat down, and \
         Mrs. Pett stood up.\n",
    );
    assert_eq!(find(&roster, "Bibot").aliases, ["Sergeant Bibot"]);
    let pett =
        |name: &str| roster.characters.iter().position(|c| c.name == name || c.aliases.iter().any(|a| a == name));
    assert_ne!(pett("Mr. Pett"), pett("Mrs. Pett"), "{roster:?}");
    // Either of them could be `Nesta Ford Pett`: neither takes her.
    assert_ne!(pett("Mr. Pett"), pett("Nesta Ford Pett"), "{roster:?}");
}

#[test]
fn a_title_that_takes_a_given_name_joins_the_full_name() {
    let roster = roster_of(
        "Sir Henry Curtis sat down. Sir Henry laughed, and Sir Henry ran.\n\nMiss Jemima Pinkerton smiled. Miss \
         Jemima sat, and Miss Jemima ran. Miss Pinkerton stood up.\n",
    );
    assert_eq!(find(&roster, "Sir Henry").aliases, ["Sir Henry Curtis"], "{roster:?}");
    let pinkerton =
        |name: &str| roster.characters.iter().position(|c| c.name == name || c.aliases.iter().any(|a| a == name));
    assert_ne!(pinkerton("Miss Jemima"), pinkerton("Miss Pinkerton"), "{roster:?}");
}

#[test]
fn a_pronoun_is_not_a_description() {
    let roster = roster_of("\"No,\" the whole matter she said.\n\n\"Yes,\" the whole matter she said.\n");
    assert!(roster.characters.is_empty(), "{roster:?}");
}

#[test]
fn gender_comes_from_pronouns_and_titles() {
    let roster = roster_of(
        "Sam opened the door. He smiled. Sam ran, and she laughed later. Sam said she would.\n\nLady Grey sat.\n",
    );
    assert_eq!(find(&roster, "Sam").gender, Gender::Female);
    assert_eq!(find(&roster, "Lady Grey").gender, Gender::Female);
}

#[test]
fn a_known_first_name_gives_the_gender_unless_many_pronouns_disagree() {
    let roster = roster_of(
        "Beatrice came in. He was late. Beatrice sat down.\n\nEmil ran off and she laughed. Emil stopped.\n\n\
         Ann walked. He ran. Ann walked. He ran. Ann walked. He ran.\n",
    );
    assert_eq!(find(&roster, "Beatrice").gender, Gender::Female);
    assert_eq!(find(&roster, "Emil").gender, Gender::Male);
    assert_eq!(find(&roster, "Ann").gender, Gender::Male);
}

#[test]
fn a_name_that_tags_speech_with_a_less_common_verb_is_a_character() {
    let roster = roster_of(
        "\"He must have robbed a bank,\" Cal said.\n\n\"He looks like a pair of trays,\" Slim stated solemnly.\n",
    );
    assert_eq!(names(&roster), ["Cal", "Slim"]);
}

#[test]
fn a_name_whose_voice_speaks_is_a_character() {
    let roster = roster_of(
        "\"Come in,\" said Margaret.\n\n\"She is a lucky girl,\" replied another voice, which Margaret knew to be that \
         of Mrs. Gibson.\n",
    );
    assert_eq!(names(&roster), ["Margaret", "Mrs. Gibson"]);
}

#[test]
fn a_first_person_story_has_a_narrator() {
    let roster = roster_of("I walked home. My feet hurt. I saw Joe there.\n\n\"Hi,\" said Joe.\n\n\"Hi,\" I said.\n");
    assert_eq!(names(&roster), ["Joe", NARRATOR]);
    // A story told mostly in the third person whose narrator once speaks.
    let long = "Joe walked home slowly in the cold and thought of summer. ".repeat(20);
    let roster = roster_of(&format!("{long}\n\n\"Are you hungry?\" I once said to Joe.\n\n\"No,\" said Joe.\n"));
    assert_eq!(names(&roster), ["Joe", NARRATOR]);
}

#[test]
fn a_first_person_narrators_relative_who_speaks_is_a_character() {
    let roster = roster_of(
        "I walked home. My feet hurt. I saw my aunt.\n\n\"Late,\" said my aunt.\n\n\"Yes,\" I said.\n\n\
         \"Why?\" my aunt asked.\n\n\"Hush,\" said my father.\n",
    );
    assert_eq!(names(&roster), ["My aunt", NARRATOR]);
    assert_eq!(find(&roster, "My aunt").gender, Gender::Female);
    let roster = roster_of(
        "I walked home with my brother Robert. I saw him smile. Robert laughed.\n\n\"Late,\" said my brother.\n",
    );
    assert_eq!(find(&roster, "Robert").aliases, ["my brother"]);
}

#[test]
fn a_relative_named_in_the_next_sentence_speaks_under_that_name() {
    let roster = roster_of(
        "I walked home. I saw my mother. Her name was Duchess.\n\n\"Late,\" said my mother.\n\n\"Yes,\" I \
         said.\n\nI saw my father. It was late. His name was Tom.\n\n\"Hush,\" said my father.\n",
    );
    assert_eq!(find(&roster, "Duchess").aliases, ["my mother"]);
    assert_eq!(find(&roster, "Duchess").gender, Gender::Female);
    // Two sentences on, the name is someone else's.
    let father_is_tom = |c: &Character| c.name == "Tom" && c.aliases.iter().any(|a| a.ends_with("father"));
    assert!(!roster.characters.iter().any(father_is_tom), "{roster:?}");
}

#[test]
fn lines_are_counted_and_sort_the_roster() {
    let text = "\"A,\" said Tom.\n\n\"B,\" said Anna.\n\n\"C,\" said Anna.\n";
    let story = story::parse(text.as_bytes()).expect("fixture parses");
    let mut script = script::segment(&story);
    let mut roster = detect(&story, &script);
    crate::attribution::attribute(&story, &mut script, &roster);
    roster.count_lines(&script);
    let lines: Vec<(&str, usize)> = roster.characters.iter().map(|c| (c.name.as_str(), c.lines)).collect();
    assert_eq!(lines, [("Anna", 2), ("Tom", 1)]);
}

#[test]
fn the_sample_story_has_its_five_speakers() {
    let text = std::fs::read_to_string("tests/fixtures/all-my-days-are-dark.txt").expect("sample story");
    let roster = roster_of(&text);
    let genders: Vec<(&str, Gender)> = roster.characters.iter().map(|c| (c.name.as_str(), c.gender)).collect();
    assert_eq!(
        genders,
        [
            ("Willow", Gender::Female),
            ("Spike", Gender::Male),
            ("Buffy", Gender::Female),
            ("Xander", Gender::Male),
            ("Oz", Gender::Male)
        ]
    );
    assert_eq!(find(&roster, "Buffy").aliases, ["Buff"]);
}

#[test]
fn a_description_joins_the_titled_name_the_quotes_greet_it_by_as_it_comes_in() {
    let roster = roster_of(
        "Lucy sat down. The curtains parted, and revealed a clergyman, stout but cheerful.\n\n\"How do you do, \
         Mr. Beebe?\" said Lucy.\n\n\"Quite well,\" said the clergyman. Mr. Beebe bowed.\n\nA fellow came up.\n\n\
         \"Good night, Stephen,\" said the fellow. Stephen ran.\n",
    );
    assert!(find(&roster, "Mr. Beebe").aliases.contains(&"The clergyman".to_owned()), "{roster:?}");
    // The newcomer may be the one calling a name: a bare first name is not theirs.
    assert!(!find(&roster, "Stephen").aliases.iter().any(|a| a.contains("fellow")), "{roster:?}");
}

#[test]
fn a_married_title_is_not_the_child_who_shares_its_surname() {
    let roster = roster_of(
        "Mrs. Lennox laughed. Mary Lennox sat down.\n\n\"I am Mary Lennox,\" the little girl said.\n\n\"Go away,\" \
         said the little girl.\n\n\"Yes,\" said Mrs. Lennox.\n",
    );
    let mary = find(&roster, "Mary Lennox");
    assert!(mary.aliases.iter().any(|a| a.contains("girl")), "{roster:?}");
    assert!(!mary.aliases.contains(&"Mrs. Lennox".to_owned()), "{roster:?}");
    assert_eq!(find(&roster, "Mrs. Lennox").gender, Gender::Female);
}
