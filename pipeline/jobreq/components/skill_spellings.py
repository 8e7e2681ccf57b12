"""How taxonomy entries become the skill tagger's spellings: which one-word aliases are
guarded as everyday words, and the hyphened spellings of tag lists."""

from spacy.lookups import load_lookups

from ..taxonomy import Skill, Taxonomy

GENERIC_CATEGORIES = {"domain_technical", "soft_skill", "methodology"}
# Named products: capitalised inside a sentence ("charting in Epic"), an alias is the name.
# Not programming languages: several are first names ("ask for Ruby at the desk").
PRODUCT_CATEGORIES = {"framework_library", "software_tool", "platform_cloud", "database"}
MICROSOFT = "Microsoft "  # its products are written "MS Excel", "MS Dynamics NAV" too
# Categories that tag lists spell with hyphens ("java-ee", "continuous-integration").
TAG_CATEGORIES = PRODUCT_CATEGORIES | {"programming_language", "methodology"}


def mark_common_words(taxonomy: Taxonomy, threshold: float) -> None:
    """Guard one-word aliases that are everyday words in lower case: an acronym ("IDEA",
    "FAR", "HR" as in "$4/hr") or a name whose inner capitals set it apart from a
    dictionary word ("SAFe", "AiM", "GloVe"; WordNet's words in spacy-lookups-data's
    `lemma_index`) then matches only as written; a generic skill ("sales", "leadership")
    and a product named by a dictionary word ("Navigate", "Float", "Radar") need context."""
    tables = load_lookups("en", ["lexeme_prob", "lemma_index"])
    probabilities = tables.get_table("lexeme_prob")
    index = tables.get_table("lemma_index")
    dictionary = {word for words in index.values() for word in words}
    for skill in taxonomy.skills.values():
        for alias in skill.aliases:
            if " " in alias or alias in skill.case_sensitive:
                continue
            if probabilities.get(alias.lower(), -99.0) <= threshold:
                continue
            word = alias.lower() in dictionary
            if alias.isupper() or (word and not alias[1:].islower()):
                skill.case_sensitive.append(alias)
                continue
            generic = skill.category in GENERIC_CATEGORIES
            product_word = skill.category in PRODUCT_CATEGORIES and word
            if (generic or product_word) and alias not in skill.needs_context:
                skill.needs_context.append(alias)


def spellings(skill: Skill) -> list[str]:
    """An entry's aliases with "MS" for a leading "Microsoft" ("MS Dynamics NAV"), then the
    spellings of tag lists: its id when that has a hyphen ("amazon-web-services"), and for
    technologies each plain many-word alias with hyphens for its spaces
    ("continuous-integration", "java-ee"). Other hyphened names are mostly modifiers in prose
    ("high-voltage substation", "a travel-planning app")."""
    short = [f"MS {a[len(MICROSOFT) :]}" for a in skill.aliases if a.startswith(MICROSOFT)]
    slug = [skill.id] if "-" in skill.id else []
    hyphened = []
    if skill.category in TAG_CATEGORIES:
        guarded = {*skill.case_sensitive, *skill.needs_context}
        plain = [a for a in skill.aliases if " " in a and a not in guarded]
        hyphened = [a.lower().replace(" ", "-") for a in plain]
    return list(dict.fromkeys([*skill.aliases, *short, *slug, *hyphened]))
