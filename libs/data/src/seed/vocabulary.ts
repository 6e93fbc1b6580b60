// Word lists the generator draws from. Department codes are part of course ids (`CS101-2026-FALL`),
// so their order is part of the dataset's identity: append, never reorder.

export const DEPARTMENTS: readonly { code: string; topics: readonly string[] }[] = [
  { code: 'CS', topics: ['Algorithms', 'Programming', 'Operating Systems', 'Databases', 'Machine Learning', 'Networks'] },
  { code: 'MATH', topics: ['Calculus', 'Linear Algebra', 'Number Theory', 'Topology', 'Real Analysis', 'Combinatorics'] },
  { code: 'PHYS', topics: ['Mechanics', 'Electromagnetism', 'Quantum Physics', 'Thermodynamics', 'Optics', 'Astrophysics'] },
  { code: 'CHEM', topics: ['Organic Chemistry', 'Inorganic Chemistry', 'Physical Chemistry', 'Biochemistry', 'Spectroscopy'] },
  { code: 'BIO', topics: ['Cell Biology', 'Genetics', 'Ecology', 'Evolution', 'Microbiology', 'Neuroscience'] },
  { code: 'ECON', topics: ['Microeconomics', 'Macroeconomics', 'Econometrics', 'Game Theory', 'Public Finance'] },
  { code: 'HIST', topics: ['Ancient History', 'Medieval Europe', 'Modern Asia', 'American History', 'Historiography'] },
  { code: 'ENG', topics: ['Composition', 'Shakespeare', 'Poetry', 'the Novel', 'Literary Theory', 'Creative Writing'] },
  { code: 'PSYC', topics: ['Cognitive Psychology', 'Social Psychology', 'Developmental Psychology', 'Perception'] },
  { code: 'PHIL', topics: ['Logic', 'Ethics', 'Epistemology', 'Metaphysics', 'Philosophy of Mind'] },
  { code: 'STAT', topics: ['Probability', 'Statistical Inference', 'Regression', 'Bayesian Statistics', 'Sampling'] },
  { code: 'EE', topics: ['Circuits', 'Signals and Systems', 'Control Systems', 'Electronics', 'Communications'] },
  { code: 'ME', topics: ['Statics', 'Dynamics', 'Fluid Mechanics', 'Heat Transfer', 'Machine Design'] },
  { code: 'CE', topics: ['Structures', 'Geotechnics', 'Transportation', 'Hydraulics', 'Construction'] },
  { code: 'ART', topics: ['Drawing', 'Painting', 'Sculpture', 'Art History', 'Photography'] },
  { code: 'MUS', topics: ['Music Theory', 'Composition', 'Musicology', 'Ear Training', 'Orchestration'] },
  { code: 'LING', topics: ['Phonology', 'Syntax', 'Semantics', 'Sociolinguistics', 'Language Acquisition'] },
  { code: 'POLS', topics: ['Political Theory', 'Comparative Politics', 'International Relations', 'Public Policy'] },
  { code: 'SOC', topics: ['Social Theory', 'Urban Sociology', 'Social Research Methods', 'Demography'] },
  { code: 'GEOL', topics: ['Mineralogy', 'Petrology', 'Geophysics', 'Sedimentology', 'Geochemistry'] },
];

export const TITLE_PATTERNS: readonly ((topic: string) => string)[] = [
  (t) => `Introduction to ${t}`,
  (t) => `Foundations of ${t}`,
  (t) => `Advanced ${t}`,
  (t) => `Topics in ${t}`,
  (t) => `Seminar in ${t}`,
  (t) => `Applied ${t}`,
  (t) => `Principles of ${t}`,
  (t) => `${t} Laboratory`,
];

export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Ben', 'Chen', 'Dana', 'Diego', 'Elena', 'Emeka', 'Fatima', 'Grace', 'Hana',
  'Ivan', 'Jamal', 'Jin', 'Kai', 'Lena', 'Luis', 'Maya', 'Mei', 'Noah', 'Olga', 'Priya', 'Ravi', 'Sara',
  'Tomas', 'Uma', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kim', 'Lopez',
  'Mensah', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Novak', 'Weber',
  'Xu', 'Yilmaz', 'Zhang',
] as const;
