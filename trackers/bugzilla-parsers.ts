// Bugzilla custom parsers (trackers.md §2 "Custom parsers"): the per-site rules oh-bugimporters
// kept for KDE, GNOME, Mozilla and MediaWiki. Each one changes only a few fields of a record
// (project name, title, the bite-sized and documentation tests); everything else is the default.

/** What a custom parser may look at: the bug's own product, component, keywords and title. */
export interface ParserInput {
  readonly title: string;
  readonly product: string;
  readonly component: string;
  readonly keywords: readonly string[];
}

export interface CustomParser {
  /** The short name (`kde`), used in messages. */
  readonly name: string;
  /** `_project_name`, which takes precedence over `bug_project_name_format`. */
  projectName(bug: ParserInput): string;
  /** A new title; absent keeps `short_desc`. */
  title?(bug: ParserInput): string;
  /** Replaces the entry's bitesized rule. */
  goodForNewcomers?(bug: ParserInput): boolean;
  /** Replaces the entry's documentation rule. */
  concernsJustDocumentation?(bug: ParserInput): boolean;
}

/** Product → project; products not listed keep their own name. */
function renamed(table: Readonly<Record<string, string>>, product: string): string {
  return Object.hasOwn(table, product) ? (table[product] ?? product) : product;
}

// bugs.kde.org: junior jobs are the keyword `junior-jobs`, often with a "JJ:" title prefix,
//   <short_desc>JJ: Add a "Save as plain text" filter</short_desc>
const KDE_PROJECTS: Readonly<Record<string, string>> = {
  // Kept from oh-bugimporters, odd as it is.
  konqueror: 'boomski',
  digikamimageplugins: 'digikam image plugins',
  'Network Management': 'KDE Network Management',
  telepathy: 'telepathy for KDE',
  docs: 'KDE documentation',
};

const kde: CustomParser = {
  name: 'kde',
  projectName: (bug) => renamed(KDE_PROJECTS, bug.product),
  title: (bug) => bug.title.replace(/^JJ:/, '').trim(),
  goodForNewcomers: (bug) => bug.keywords.includes('junior-jobs'),
  concernsJustDocumentation: (bug) => bug.product === 'docs',
};

const GNOME_PROJECTS: Readonly<Record<string, string>> = {
  general: 'GNOME (general)',
  website: 'GNOME (website)',
};

const gnome: CustomParser = {
  name: 'gnome',
  projectName: (bug) => renamed(GNOME_PROJECTS, bug.product),
};

const MOZILLA_RENAMED: Readonly<Record<string, string>> = {
  Core: 'Mozilla Core',
  'MailNews Core': 'Mozilla Messaging',
  Testing: 'Mozilla automated testing',
  Directory: 'Mozilla LDAP',
  Toolkit: 'Mozilla Toolkit',
  Calendar: 'Mozilla Calendar',
  Webtools: 'Mozilla Webtools',
  Input: 'Mozilla Input',
};

const MOZILLA_KEPT: readonly string[] = [
  'Firefox',
  'addons.mozilla.org',
  'Thunderbird',
  'mozilla.org',
  'SeaMonkey',
  'support.mozilla.com',
  'Camino',
  'Mozilla Localizations',
  'Mozilla QA',
  'Mozilla Services',
  'Fennec',
];

const mozilla: CustomParser = {
  name: 'mozilla',
  projectName: ({ product, component }) => {
    if (product === 'Other Applications') return `Mozilla ${component}`;
    if (Object.hasOwn(MOZILLA_RENAMED, product)) return renamed(MOZILLA_RENAMED, product);
    if (MOZILLA_KEPT.includes(product) || product.toLowerCase().includes('mozilla')) return product;
    return `Mozilla ${product}`;
  },
};

const mediawiki: CustomParser = {
  name: 'mediawiki',
  projectName: ({ product, component }) => {
    if (product !== 'MediaWiki extensions') return product;
    return component === 'FCKeditor' || component === 'Gadgets' ? `${component} for MediaWiki` : component;
  },
};

/** The parser's old `module.Class` name and its short name. */
const BY_NAME: Readonly<Record<string, CustomParser>> = {
  kde,
  'bugzilla.KDEBugzilla': kde,
  gnome,
  'bugzilla.GnomeBugzilla': gnome,
  mozilla,
  'bugzilla.MozillaBugParser': mozilla,
  mediawiki,
  'bugzilla.MediaWikiBugParser': mediawiki,
};

/** The default parser's name: accepted, and means "no custom parser". */
export const DEFAULT_PARSER = 'bugzilla.BugzillaBugParser';

/** Every accepted `custom_parser` value, for the field declaration. */
export const PARSER_NAMES: readonly string[] = [DEFAULT_PARSER, ...Object.keys(BY_NAME)];

/**
 * The parser a `custom_parser` value names; `undefined` for none (absent, blank or the default
 * name). An unknown name is a configuration error, caught by the field's choices before a run.
 */
export function customParser(value: unknown): CustomParser | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
}
