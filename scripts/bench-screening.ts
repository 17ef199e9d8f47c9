/**
 * Person screening at watchlist scale: builds the matching index of the national-lists plugin over
 * 1,000,000 generated persons (seeded; names of several cultures and scripts with realistic skew —
 * many MOHAMMEDs and WANGs, a long tail of rare names), then screens a labelled query set: variants
 * of listed persons (original script, other transcriptions, swapped order, typos, missing names,
 * partial or day/month-swapped dates, nationality aliases) and persons not on the list (fresh
 * people, and namesakes of listed people born in another year). Reports build time and memory,
 * per-query p50/p99 on one core, and recall and precision; writes .bench/screening.json.
 * `node --import tsx scripts/bench-screening.ts [persons] [--namesakes-only]`.
 *
 * Is it a fair test? Precision is bounded by how often the list repeats a full name with the same
 * birth year, so the generator must repeat names as often as real populations do — no less (that
 * would flatter the engine) and no more. Names are drawn by Zipf's law over a head of real names
 * holding a published share of the population, plus a long tail (zipfWithTail). The first version
 * drew every name from its culture's head list alone, so JÖRG was one German in ten, GARCÍA one
 * Spanish surname in eleven, and one listed Turkish person in five (Greek: one in six) had a
 * namesake born the same year. A rough real figure, from Σp² of published name frequencies
 * (P(same full name) ≈ Σp²(given)·Σp²(surname), then 1/70 for the year, times the culture's
 * persons on the list), is a few per cent for Chinese, English and Turkish names and one or two for
 * German or Greek ones. `namesakeRate` in the output reports the generated shares per culture; they
 * stay at or above those estimates (Chinese ≈ 10 %, Turkish ≈ 7 %, Greek and German ≈ 5 %), so the
 * test remains at least as hard as reality. Spanish full names (two surnames) are rare, as in
 * reality; Arabic family names keep their small pool (harder than reality).
 *
 * The threshold is not tuned on the queries it is judged on: even-numbered queries calibrate (the
 * middle of the thresholds meeting recall ≥ 0.98 at precision ≥ 0.95 is `suggestedThreshold`),
 * odd-numbered ones report the headline recall and precision at DEFAULT_THRESHOLD.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { transliterateToLatin } from '@tessera/sdk/mrz';
import { seededRandom } from '../sdk/src/mrz/sample-documents.js';
import { buildPersonIndex, DEFAULT_THRESHOLD, type Candidate, type PersonQuery, type PersonRecord } from '../plugins/interop-national-lists/src/matching/index.js';

const PERSONS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const MATCHING_QUERIES = 2000;
const FRESH_QUERIES = 1500;
const NAMESAKE_QUERIES = 500;
const TARGETS = { p50Ms: 5, p99Ms: 25, recall: 0.98, precision: 0.95 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
/** Zipf-like: early entries of a list are much commoner, as with real name frequencies. */
const pickSkewed = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(list.length * rand() ** 1.6)];
/**
 * Zipf's law over a head of real names (the k-th commonest ∝ 1/k^exponent) holding `headShare` of
 * the population, and a long tail for the rest: the shape of published surname and given-name
 * counts (INE Spain: GARCÍA ≈ 3 % of people, the 50 commonest surnames about a third).
 */
function zipfWithTail<T>(head: readonly T[], exponent: number, headShare: number, tail: (rand: Rand) => T): (rand: Rand) => T {
  const cumulative = new Float64Array(head.length);
  let sum = 0;
  for (let k = 0; k < head.length; k++) cumulative[k] = sum += 1 / (k + 1) ** exponent;
  return (rand) => {
    if (rand() >= headShare) return tail(rand);
    const u = rand() * sum;
    let lo = 0;
    let hi = head.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return head[lo];
  };
}
const words = (s: string) => s.split(' ');

// ---- Name material per culture. Each person is { surname, givenNames } in the list's form plus,
// for non-Latin cultures, the original script the query may use. ----
interface Person { surname: string; given: string; nationality: string; original?: { surname: string; given: string }; altSpellings?: Map<string, string[]> }

const RU_ROOTS = words('ИВАН ПЕТР СМИРН КУЗНЕЦ ПОП СОКОЛ ЛЕБЕД КОЗЛ НОВИК МОРОЗ ВОЛК СОЛОВЬ ВАСИЛЬ ЗАЙЦ ПАВЛ СЕМЁН ГОЛУБ ВИНОГРАД БОГДАН ВОРОБЬ ФЁДОР МИХАЙЛ БЕЛЯ ТАРАС БЕЛ КОМАР ОРЛ КИСЕЛ МАКАР АНДРЕ КОВАЛ ИЛЬ ГУС ТИТ КУЗЬМ КУДРЯВЦ БАРАН КУЛИК АЛЕКСЕ СТЕПАН ЯКОВЛ СОРОК СЕРГЕ РОМАН ЗАХАР БОРИС КОРОЛ ГЕРАСИМ ПОНОМАР ГРИГОРЬ ЛАЗАР МЕДВЕД ЕРШ НИКИТ СОБОЛ РЯБ ПОЛЯК ЦВЕТК ДАНИЛ ЖУК ФРОЛ ЖУРАВЛ НИКОЛА КРЫЛ МАКСИМ СИДОР ОСИП БЕЛОУС ФЕДОТ ДОРОФЕ ЕГОР МАТВЕ БОБР ДМИТРИ КАЛИН АНИСИМ ПЕТУХ АНТОН ТИМОФЕ НИКИФОР ВЕСЕЛ ДАВЫД МАРК ШЕСТАК ШУБ ЩЕРБАК ЮД ХОХЛ ЧЕРН ШИЛ ЩУК ЯШ ЗУБ ГРОМ ХРУЩ ЧИЖ');
const RU_SUFFIX = ['ОВ', 'ЕВ', 'ИН', 'ЕНКО', 'СКИЙ'];
const RU_MALE = words('АЛЕКСАНДР СЕРГЕЙ ДМИТРИЙ АНДРЕЙ АЛЕКСЕЙ МАКСИМ ЕВГЕНИЙ ИВАН МИХАИЛ АРТЁМ НИКОЛАЙ ЮРИЙ ВЛАДИМИР ПАВЕЛ ОЛЕГ ВИКТОР ИГОРЬ РОМАН КОНСТАНТИН ДЕНИС ЕГОР НИКИТА КИРИЛЛ ИЛЬЯ АНТОН ВАСИЛИЙ ФЁДОР ГРИГОРИЙ ТИМОФЕЙ ВЯЧЕСЛАВ');
const RU_FEMALE = words('АННА МАРИЯ ЕЛЕНА ОЛЬГА НАТАЛЬЯ ТАТЬЯНА ИРИНА СВЕТЛАНА ЕКАТЕРИНА ЮЛИЯ АНАСТАСИЯ ДАРЬЯ КСЕНИЯ ЛЮДМИЛА ГАЛИНА ВАЛЕНТИНА АЛЁНА ПОЛИНА СОФЬЯ ВЕРОНИКА');
const patronymic = (father: string, female: boolean) =>
  father.endsWith('Й') ? father.slice(0, -1) + (female ? 'ЕВНА' : 'ЕВИЧ') : father.endsWith('А') ? father.slice(0, -1) + (female ? 'ИЧНА' : 'ИЧ') : father.replace(/Ь$/, '') + (female ? 'ОВНА' : 'ОВИЧ');
// The popular English-style romanisation, which lists often hold instead of Doc 9303's.
const POPULAR_CYRILLIC: Record<string, string> = { Й: 'Y', Ю: 'YU', Я: 'YA', Ё: 'YO', Х: 'KH', Ц: 'TS', Ъ: '', Ь: '', Ы: 'Y', Ж: 'ZH', Щ: 'SHCH', Ш: 'SH', Ч: 'CH' };
const popularRomanisation = (s: string) => [...s].map((c) => (c === ' ' ? ' ' : POPULAR_CYRILLIC[c] ?? transliterateToLatin(c))).join('').replace(/IY\b/g, 'Y');

const GR_ROOTS = words('ΠΑΠΑΔ ΓΕΩΡΓ ΝΙΚΟΛ ΚΩΝΣΤΑΝΤΙΝ ΔΗΜΗΤΡ ΙΩΑΝΝ ΒΑΣΙΛ ΑΘΑΝΑΣ ΧΡΙΣΤ ΑΝΤΩΝ ΜΙΧΑΛ ΠΑΝΑΓΙΩΤ ΣΤΑΥΡ ΚΑΡΑΓΙΑΝΝ ΟΙΚΟΝΟΜ ΜΑΚΡ ΑΛΕΞ ΘΕΟΔΩΡ ΠΕΤΡ ΛΑΜΠΡ ΣΠΥΡ ΕΥΑΓΓΕΛ ΚΥΡΙΑΚ ΜΑΥΡ ΖΑΧΑΡ ΤΣΑΚΙΡ ΜΠΟΥΡ ΨΑΡΡ ΧΑΤΖΗ ΑΓΓΕΛ');
const GR_SUFFIX = ['ΟΠΟΥΛΟΣ', 'ΙΔΗΣ', 'ΑΚΗΣ', 'ΑΣ', 'ΟΥ', 'ΙΑΔΗΣ'];
// Greek surnames are many (a patronymic or trade root, often with a prefix such as ΠΑΠΑ- or ΚΑΡΑ-):
// root and suffix alone gave 180 surnames, and one Greek person in six a namesake born the same year.
const GR_PREFIXES = words('ΠΑΠΑ ΚΑΡΑ ΧΑΤΖΗ ΜΑΥΡΟ ΚΟΥΤΣΟ ΜΠΑΚΑ');
GR_ROOTS.push(...words('ΒΛΑΧ ΓΚΙΚ ΔΟΥΚ ΖΕΡΒ ΘΩΜ ΚΑΛΟΓΕΡ ΚΟΝΤ ΛΙΑΚ ΜΑΝΩΛ ΜΑΡΓΑΡΙΤ ΜΗΤΣΟΤΑΚ ΝΤΟΥΝΤ ΞΕΝ ΠΕΤΡΟΠΟΥΛ ΡΑΠΤ ΣΑΡΡ ΣΤΕΦΑΝ ΤΖΑΝ ΤΣΙΠΡ ΦΩΤ ΧΑΡΑΛΑΜΠ ΨΩΜ ΑΝΔΡΕ ΒΑΡΒΑΡ ΓΙΑΝΝΑΚ ΔΡΑΚ ΚΑΤΣ ΛΕΚΚ ΜΟΣΧ ΡΗΓ'));
const GR_GIVEN = words('ΓΕΩΡΓΙΟΣ ΙΩΑΝΝΗΣ ΚΩΝΣΤΑΝΤΙΝΟΣ ΔΗΜΗΤΡΙΟΣ ΝΙΚΟΛΑΟΣ ΠΑΝΑΓΙΩΤΗΣ ΒΑΣΙΛΕΙΟΣ ΧΡΗΣΤΟΣ ΑΘΑΝΑΣΙΟΣ ΜΙΧΑΗΛ ΕΥΑΓΓΕΛΟΣ ΣΠΥΡΙΔΩΝ ΑΝΤΩΝΙΟΣ ΕΛΕΝΗ ΜΑΡΙΑ ΑΙΚΑΤΕΡΙΝΗ ΒΑΣΙΛΙΚΗ ΣΟΦΙΑ ΑΓΓΕΛΙΚΗ ΕΥΑΓΓΕΛΙΑ ΔΕΣΠΟΙΝΑ ΚΩΝΣΤΑΝΤΙΝΑ ΧΡΙΣΤΙΝΑ ΕΥΘΥΜΙΟΣ ΘΕΟΔΩΡΑ');

// Arabic names: the script form and the transcriptions lists and travellers use.
const AR_MALE: Array<[string, string[]]> = [
  ['محمد', ['MOHAMMED', 'MUHAMMAD', 'MOHAMED', 'MOHAMMAD']], ['أحمد', ['AHMED', 'AHMAD']], ['علي', ['ALI']], ['حسن', ['HASSAN', 'HASAN']],
  ['حسين', ['HUSSEIN', 'HUSSAIN', 'HUSEIN']], ['عمر', ['OMAR', 'UMAR']], ['خالد', ['KHALED', 'KHALID']], ['يوسف', ['YOUSEF', 'YUSUF', 'YOUSSEF']],
  ['إبراهيم', ['IBRAHIM', 'EBRAHIM']], ['عبدالله', ['ABDULLAH', 'ABDALLAH']], ['مصطفى', ['MUSTAFA', 'MOSTAFA']], ['سعيد', ['SAEED', 'SAID']],
  ['كريم', ['KARIM', 'KAREEM']], ['طارق', ['TAREK', 'TARIQ']], ['ياسر', ['YASSER', 'YASIR']], ['سامي', ['SAMI', 'SAMY']], ['ماجد', ['MAJED', 'MAJID']],
  ['فيصل', ['FAISAL', 'FAYSAL']], ['سلمان', ['SALMAN']], ['حمزة', ['HAMZA', 'HAMZAH']], ['زياد', ['ZIAD', 'ZIYAD']], ['نبيل', ['NABIL', 'NABEEL']],
  ['وليد', ['WALID', 'WALEED']], ['جمال', ['JAMAL', 'GAMAL']], ['رامي', ['RAMI', 'RAMY']], ['بلال', ['BILAL']], ['منصور', ['MANSOUR', 'MANSUR']],
];
const AR_FEMALE: Array<[string, string[]]> = [
  ['فاطمة', ['FATIMA', 'FATMA']], ['عائشة', ['AISHA', 'AICHA']], ['مريم', ['MARIAM', 'MARYAM']], ['زينب', ['ZAINAB', 'ZEINAB']], ['نور', ['NOUR', 'NOOR']],
  ['سارة', ['SARA', 'SARAH']], ['ليلى', ['LEILA', 'LAYLA']], ['هدى', ['HUDA', 'HODA']], ['أمينة', ['AMINA', 'AMINAH']], ['رنا', ['RANA']],
  ['ياسمين', ['YASMINE', 'YASMIN']], ['سلمى', ['SALMA']], ['خديجة', ['KHADIJA', 'KHADIDJA']], ['رقية', ['RUQAYYA', 'ROKIA']],
];
const AR_FAMILY: Array<[string, string[]]> = [
  ['حداد', ['HADDAD']], ['خوري', ['KHOURY', 'KHOURI']], ['منصور', ['MANSOUR']], ['سليمان', ['SULEIMAN', 'SOLIMAN']], ['عباس', ['ABBAS']],
  ['نصر', ['NASR', 'NASSER']], ['سالم', ['SALEM', 'SALIM']], ['عيسى', ['ISSA', 'EISSA']], ['حمدان', ['HAMDAN']], ['قاسم', ['QASSEM', 'KASSEM', 'QASIM']],
  ['درويش', ['DARWISH', 'DERWICH']], ['شريف', ['SHARIF', 'CHERIF']], ['بكر', ['BAKR', 'BAKER']], ['جابر', ['JABER', 'JABIR']], ['زيدان', ['ZIDANE', 'ZEIDAN']],
  ['يونس', ['YOUNES', 'YOUNIS']], ['عثمان', ['OTHMAN', 'OSMAN']], ['رشيد', ['RASHID', 'RACHID']], ['صالح', ['SALEH', 'SALIH']], ['حبيب', ['HABIB']],
  ['غانم', ['GHANEM', 'GHANIM']], ['فارس', ['FARES', 'FARIS']], ['مراد', ['MOURAD', 'MURAD']], ['بدر', ['BADR']], ['تميم', ['TAMIM', 'TAMEEM']],
  ['شاكر', ['SHAKER', 'SHAKIR']], ['عطية', ['ATTIA', 'ATIYA']], ['الحسيني', ['ALHUSSEINI', 'ELHUSSEINI']], ['مصري', ['MASRI', 'MASRY']], ['نجار', ['NAJJAR', 'NAGGAR']],
  ['حلبي', ['HALABI']], ['جبوري', ['JUBOURI', 'JBOURI']], ['كبير', ['KABIR', 'KABEER']], ['سعدي', ['SAADI', 'SAADY']], ['تكريتي', ['TIKRITI']],
];
const AR_NATIONS = ['SYR', 'IRQ', 'EGY', 'JOR', 'LBN', 'SAU', 'YEM', 'LBY', 'MAR', 'DZA', 'TUN', 'SDN'];

const DE_SURNAMES = words('Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Böhm Winter Kraus Schumacher Krämer Vogt Stein Jäger Sommer Groß Seidel Brandt Haas Schreiber Graf Dietrich Ziegler Kühn Pohl Engel Horn Busch Bergmann Voigt Sauer Pfeiffer Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Jönsson Hansson Jørgensen Sørensen Østergaard Ågren Åberg Lindström Lindqvist Öberg Ström Nyström Söderberg Björk Sjöberg Håkansson');
const DE_GIVEN = words('Jörg Jürgen Günter Uwe Klaus Hans Peter Michael Thomas Andreas Stefan Wolfgang Frank Sven Björn Lars Anders Jens Søren Ulrike Anna Käthe Jutta Sabine Monika Petra Birgit Ingrid Åsa Märta Karin Kerstin Sigrid Maja Lena Sofie Hannelore Dörte');
const DE_NATIONS = ['D', 'DEU', 'AUT', 'CHE', 'SWE', 'DNK', 'NOR'];

const ES_SURNAMES = words('García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Chávez Ruiz Jiménez Mendoza Álvarez Castillo Romero Vargas Herrera Medina Aguilar Moreno Castro Guzmán Muñoz Rojas Vázquez Domínguez Navarro Ramos Delgado Peña Ibáñez Núñez Cabrera Campos Vega Fuentes Carrasco Salazar Cortés');
const ES_GIVEN = words('José Juan Luis Carlos Jesús Miguel Francisco Antonio Alejandro Manuel Pedro Jorge Javier Fernando Diego Pablo Andrés Sergio María Guadalupe Ana Carmen Laura Lucía Sofía Isabel Elena Rosa Patricia Gabriela Daniela Valentina Camila Paula Marta Teresa');
const ES_NATIONS = ['ESP', 'MEX', 'COL', 'ARG', 'PER', 'VEN', 'CHL'];
// Beyond the 50 commonest surnames Spanish has thousands more; roots and endings give a few hundred
// (fewer than reality, so namesakes stay, if anything, commoner than in a real list).
const ES_ROOTS = words('Alba Arr Bel Bust Cal Card Carr Cas Cerv Esc Esp Gal Garz Ib Lar Lozan Mar Mont Nav Ol Orteg Pal Quint Riv Sal Sant Ver Vill Zam Zap');
const ES_ENDINGS = words('ero ado ano illo era ega ales iz ón eda ueta ares');
// Given names after the 37 commonest: real ones, flat (the real tail is longer and thinner still).
const ES_GIVEN_TAIL = words('Adrián Agustín Alberto Alfonso Álvaro Amparo Ángel Ángela Araceli Ariadna Beatriz Benito Blanca Carolina Catalina Cecilia Clara Concepción Cristian Cristina Dolores Eduardo Emilio Encarnación Enrique Esperanza Esteban Eva Federico Felipe Fernanda Gerardo Gloria Gonzalo Héctor Hugo Ignacio Inés Irene Iván Jaime Jimena Joaquín Julia Julio Leticia Lorena Lorenzo Lourdes Marcos Mariana Mario Martín Mercedes Mónica Natalia Nicolás Nuria Óscar Pilar Ramón Raquel Raúl Ricardo Roberto Rocío Rodrigo Rubén Salvador Samuel Santiago Silvia Susana Tomás Valeria Verónica Vicente Víctor Ximena Yolanda');
const esSurname = zipfWithTail(ES_SURNAMES, 0.6, 0.35, (rand) => compound(rand, ES_ROOTS, ES_ENDINGS));
const esGiven = zipfWithTail(ES_GIVEN, 0.6, 0.6, (rand) => pick(rand, ES_GIVEN_TAIL));

const ZH_SURNAMES = words('WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE GAO LIN LUO ZHENG LIANG XIE SONG TANG HAN FENG DENG CAO PENG ZENG XIAO TIAN DONG PAN YUAN CAI JIANG YU DU YE CHENG WEI SU LU DING REN SHEN YAO');
const ZH_SYLLABLES = words('WEI FANG NA MIN JING LI QIANG LEI JUN YANG YONG YAN JIE TAO MING CHAO XIU YING HUA PING GANG HUI LING HONG JIAN BO XIN YU FENG HAO YI ZHI KAI TING XIA LAN QING LONG BIN DAN RUI SHAN YUN ZHEN WEN HAI PENG NING XUE JIA CHEN HAN SHU GUANG DONG MEI');

const EN_SURNAMES = words("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price Sanders Myers Long Ross Foster O'Brien O'Connor McDonald MacLeod Fitzgerald");
const EN_GIVEN = words('James John Robert Michael William David Richard Joseph Charles Thomas Christopher Daniel Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley Emily Donna Michelle Carol');
const EN_NATIONS = ['GBR', 'USA', 'CAN', 'AUS', 'IRL', 'NZL', 'GBD'];

// Generated surnames from common roots and endings, so a culture has thousands of surnames (as real
// ones do) rather than only its hundred commonest; without them namesakes would be far too frequent.
const DE_ROOTS = words('Acker Bach Berg Brand Busch Eich Feld Fried Gold Grün Hart Heil Hof Holz Kirch Kron Lind Mühl Neu Ober Rosen Schön Stein Stroh Wald Weiß Zimmer Sonnen Bären Löwen');
const DE_ENDINGS = words('mann er berg feld hof bach meier hauser stein ner inger schmidt');
const EN_ROOTS = words('Ash Black Brad Brook Chad Crom Fair Hart Hol Kings Lang Mid Mor North Pem Ray Red Rich Shel Stan Wal West Whit Wood');
const EN_ENDINGS = words('ley ton well ford wood field by ham worth more ridge son');
const TR_ROOTS = words('Ak Kara Öz Er Gül Yıldız Demir Çelik Kaya Ay Gün Tekin Aslan Kurt Tuğ Şen');
const TR_ENDINGS = words('oğlu er han türk can soy dağ taş bay kan');
const compound = (rand: Rand, roots: readonly string[], endings: readonly string[]) => pick(rand, roots) + pick(rand, endings);
/** Two roots and an ending half the time (STEINBACH, ROSENSTEINBACH; ASHFORD, WESTBROOKFORD): thousands of surnames. */
const longCompound = (rand: Rand, roots: readonly string[], endings: readonly string[]) =>
  pick(rand, roots) + (rand() < 0.5 ? pick(rand, roots).toLowerCase() : '') + pick(rand, endings);
const TR_SURNAMES = words('Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Erdoğan Güneş Aksoy');
const TR_GIVEN = words('Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Ömer Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Gülşen');

// Head and tail per culture (see zipfWithTail). The heads' shares follow published counts: the
// commonest German surname (MÜLLER) ≈ 0.9 % of people, the commonest English one (SMITH) ≈ 1 %,
// YILMAZ ≈ 2 %; the commonest given name of a sex 2–5 %, higher in Turkey (MEHMET). Before, the
// heads were drawn as if they were the whole population (JÖRG one German in ten, one Turkish person
// in five with a namesake born the same year), which no real list shows.
const DE_GIVEN_TAIL = words('Achim Bernd Dieter Egon Erik Florian Gerd Heiko Helmut Holger Ingo Jan Kai Lutz Malte Nils Olaf Rainer Ralf Timo Torsten Volker Anke Antje Bärbel Christa Doris Elke Frauke Gisela Heike Ilse Kirsten Maren Nicole Renate Silke Tanja Ute Wiebke Agnetha Britt Gunnar Henrik Ingemar Magnus Nils Pernilla Solveig Torbjörn');
const EN_GIVEN_TAIL = words('Aaron Adam Alan Albert Arthur Austin Brian Bruce Carl Craig Dennis Douglas Edward Eric Frank Gary Gerald Gregory Harold Henry Jack Jeffrey Jeremy Keith Larry Lawrence Peter Philip Raymond Roger Ronald Russell Ryan Scott Sean Terry Walter Wayne Alice Amanda Amy Angela Anna Brenda Catherine Christine Cynthia Deborah Diane Doris Emma Evelyn Frances Gloria Hannah Heather Helen Janet Joan Joyce Judith Julia Julie Katherine Kathleen Kelly Laura Louise Martha Nicole Olivia Pamela Rachel Rebecca Rose Ruth Samantha Sharon Shirley Stephanie Teresa Victoria Virginia');
const TR_GIVEN_TAIL = words('Abdullah Adem Ahmet Alper Arda Aydın Barış Bekir Burak Cem Cengiz Deniz Emre Enes Erkan Erol Furkan Gökhan Hakan Halil İsmail Kadir Kemal Levent Metin Necati Orhan Osman Ramazan Recep Selim Serkan Sinan Tuncay Uğur Volkan Yasin Yusuf Ayten Belgin Burcu Derya Dilek Ebru Esra Filiz Gamze Hacer Hande Hülya Kübra Leyla Melek Merve Nazlı Nurten Özlem Pınar Seda Sevgi Songül Tuba Yasemin');
const deSurname = zipfWithTail(DE_SURNAMES, 0.6, 0.45, (rand) => longCompound(rand, DE_ROOTS, DE_ENDINGS));
const deGiven = zipfWithTail(DE_GIVEN, 0.6, 0.6, (rand) => pick(rand, DE_GIVEN_TAIL));
const enSurname = zipfWithTail(EN_SURNAMES, 0.6, 0.5, (rand) => longCompound(rand, EN_ROOTS, EN_ENDINGS));
const enGiven = zipfWithTail(EN_GIVEN, 0.6, 0.6, (rand) => pick(rand, EN_GIVEN_TAIL));
// Turkish surnames were chosen from words in 1934: two roots and an ending (KARAÖZOĞLU) are common.
const trSurname = zipfWithTail(TR_SURNAMES, 0.6, 0.35, (rand) => pick(rand, TR_ROOTS) + (rand() < 0.5 ? pick(rand, TR_ROOTS).toLocaleLowerCase('tr') : '') + pick(rand, TR_ENDINGS));
const trGiven = zipfWithTail(TR_GIVEN, 0.6, 0.65, (rand) => pick(rand, TR_GIVEN_TAIL));

// A long tail of rarer names from syllables (West African, Southeast Asian, Pacific shapes),
// so the token dictionary is as large as a real list's rather than a few thousand names.
const ONSETS = words('B D F G K L M N P R S T W Y Z NG MB ND KW CH NY SH H');
const VOWELS = words('A E I O U A O');
const syllabicName = (rand: Rand) => {
  let s = '';
  for (let n = 2 + Math.floor(rand() * 3); n > 0; n--) s += pick(rand, ONSETS) + pick(rand, VOWELS);
  return s;
};
const TAIL_NATIONS = ['NGA', 'GHA', 'KEN', 'COD', 'IDN', 'PHL', 'VNM', 'SEN', 'CMR', 'UGA'];

function makePerson(rand: Rand): Person {
  const r = rand();
  const female = rand() < 0.45;
  if (r < 0.14) {
    const root = pickSkewed(rand, RU_ROOTS);
    const suffix = pick(rand, RU_SUFFIX);
    const surname = root + (female ? (suffix === 'СКИЙ' ? 'СКАЯ' : suffix === 'ЕНКО' ? 'ЕНКО' : suffix + 'А') : suffix);
    const first = pickSkewed(rand, female ? RU_FEMALE : RU_MALE);
    const given = `${first} ${patronymic(pick(rand, RU_MALE), female)}`;
    const popular = rand() < 0.3;
    const latin = (s: string) => (popular ? popularRomanisation(s) : transliterateToLatin(s));
    return { surname: latin(surname), given: latin(given), nationality: pick(rand, ['RUS', 'RUS', 'UKR', 'BLR', 'KAZ']), original: { surname, given } };
  }
  if (r < 0.2) {
    const surname = (rand() < 0.3 ? pick(rand, GR_PREFIXES) : '') + pickSkewed(rand, GR_ROOTS) + pick(rand, GR_SUFFIX);
    const given = pickSkewed(rand, GR_GIVEN) + (rand() < 0.2 ? ' ' + pick(rand, GR_GIVEN) : '');
    return { surname: transliterateToLatin(surname), given: transliterateToLatin(given), nationality: pick(rand, ['GRC', 'GRC', 'CYP']), original: { surname, given } };
  }
  if (r < 0.36) {
    const first = pickSkewed(rand, female ? AR_FEMALE : AR_MALE);
    const father = pickSkewed(rand, AR_MALE);
    const family = pickSkewed(rand, AR_FAMILY);
    const spell = (n: [string, string[]]) => pick(rand, n[1]);
    const altSpellings = new Map<string, string[]>();
    for (const n of [first, father, family]) for (const s of n[1]) altSpellings.set(s, n[1]);
    return {
      surname: spell(family), given: `${spell(first)} ${spell(father)}`, nationality: pick(rand, AR_NATIONS),
      original: { surname: family[0], given: `${first[0]} ${father[0]}` }, altSpellings,
    };
  }
  if (r < 0.48) {
    return { surname: deSurname(rand), given: deGiven(rand) + (rand() < 0.3 ? ' ' + deGiven(rand) : ''), nationality: pick(rand, DE_NATIONS) };
  }
  if (r < 0.58) {
    return { surname: `${esSurname(rand)} ${esSurname(rand)}`, given: esGiven(rand) + (rand() < 0.35 ? ' ' + esGiven(rand) : ''), nationality: pick(rand, ES_NATIONS) };
  }
  if (r < 0.7) {
    const given = rand() < 0.35 ? pick(rand, ZH_SYLLABLES) : pick(rand, ZH_SYLLABLES) + pick(rand, ZH_SYLLABLES).toLowerCase();
    return { surname: pickSkewed(rand, ZH_SURNAMES), given, nationality: pick(rand, ['CHN', 'CHN', 'CHN', 'TWN', 'SGP', 'HKG']) };
  }
  if (r < 0.82) {
    return { surname: enSurname(rand), given: enGiven(rand) + (rand() < 0.5 ? ' ' + enGiven(rand) : ''), nationality: pick(rand, EN_NATIONS) };
  }
  if (r < 0.87) {
    return { surname: trSurname(rand), given: trGiven(rand) + (rand() < 0.3 ? ' ' + trGiven(rand) : ''), nationality: 'TUR' };
  }
  return { surname: syllabicName(rand), given: syllabicName(rand) + (rand() < 0.3 ? ' ' + syllabicName(rand) : ''), nationality: pick(rand, TAIL_NATIONS) };
}

function makeDate(rand: Rand): string {
  const year = 1940 + Math.floor(rand() * 65);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const full = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // Watchlists hold partial dates too: some entries know only the year or the month.
  const u = rand();
  return u < 0.06 ? String(year) : u < 0.09 ? full.slice(0, 7) : full;
}

interface Listed extends PersonRecord { person: Person }

function* listedPersons(count: number, seed: number, keep: Set<number>, kept: Map<number, Listed>): Generator<PersonRecord> {
  const rand = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const person = makePerson(rand);
    const record: Listed = { id: `P${i}`, surname: person.surname, givenNames: person.given, birthDate: makeDate(rand), nationality: person.nationality, person };
    if (rand() < 0.1) record.aliases = [`${syllabicName(rand)} ${person.given.split(' ')[0]}`];
    if (keep.has(i)) kept.set(i, record);
    yield { id: record.id, surname: record.surname, givenNames: record.givenNames, birthDate: record.birthDate, nationality: record.nationality, aliases: record.aliases };
  }
}

// ---- Query variants of a listed person: one or two perturbations each, labelled. ----
function typo(rand: Rand, token: string): string {
  if (token.length < 4) return token;
  const i = 1 + Math.floor(rand() * (token.length - 2));
  const letters = 'ABCDEFGHIJKLMNOPRSTUVWYZ';
  switch (Math.floor(rand() * 4)) {
    case 0: return token.slice(0, i) + pick(rand, [...letters]) + token.slice(i + 1);
    case 1: return token.slice(0, i) + token[i + 1] + token[i] + token.slice(i + 2);
    case 2: return token.slice(0, i) + token.slice(i + 1);
    default: return token.slice(0, i) + pick(rand, [...letters]) + token.slice(i);
  }
}

// No variant drops the date of birth altogether: on a list this size a name alone has namesakes
// that no engine can tell apart, so such queries would measure the list, not the matching.
const PERTURBATIONS = ['script', 'spelling', 'swap', 'typo', 'missing-name', 'year-only', 'year-month', 'day-month-swap', 'nationality-alias'] as const;
type Perturbation = (typeof PERTURBATIONS)[number];

function variantQuery(rand: Rand, listed: Listed, n: number): { query: PersonQuery; applied: Perturbation[] } {
  const p = listed.person;
  let surname = listed.surname;
  let given = listed.givenNames ?? '';
  let birthDate = listed.birthDate;
  let nationality = listed.nationality;
  const applied: Perturbation[] = [];
  const wanted = new Set<Perturbation>();
  while (wanted.size < n) wanted.add(pick(rand, PERTURBATIONS));
  // In list order, so a date is cut short before a day/month swap is tried (which then needs a full date).
  for (const what of [...wanted].sort((a, b) => PERTURBATIONS.indexOf(a) - PERTURBATIONS.indexOf(b))) {
    switch (what) {
      case 'script':
        if (!p.original) continue;
        surname = p.original.surname;
        given = p.original.given;
        break;
      case 'spelling': {
        if (p.altSpellings) {
          given = given.split(' ').map((t) => pick(rand, p.altSpellings!.get(t) ?? [t])).join(' ');
          surname = pick(rand, p.altSpellings.get(surname) ?? [surname]);
        } else if (/[^\x00-\x7f]/.test(surname + given)) {
          const plain = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ø/gi, 'o').replace(/ß/g, 'ss').replace(/ı/g, 'i');
          surname = plain(surname);
          given = plain(given);
        } else continue;
        break;
      }
      case 'swap':
        [surname, given] = [given, surname];
        break;
      case 'typo': {
        const parts = `${surname}|${given}`.split(/([ |])/);
        const candidates = parts.map((t, i) => [t, i] as const).filter(([t]) => t.length >= 5 && /^[A-Za-z]+$/.test(t));
        if (!candidates.length) continue;
        const [token, i] = pick(rand, candidates);
        parts[i] = typo(rand, token.toUpperCase());
        [surname, given] = parts.join('').split('|');
        break;
      }
      case 'missing-name': {
        const g = given.split(' ');
        const s = surname.split(' ');
        if (g.length > 1) given = g.slice(0, -1).join(' ');
        else if (s.length > 1) surname = s[0];
        else continue;
        break;
      }
      case 'year-only':
        if (!birthDate || birthDate.length < 7) continue;
        birthDate = birthDate.slice(0, 4);
        break;
      case 'year-month':
        if (!birthDate || birthDate.length < 10) continue;
        birthDate = birthDate.slice(0, 7);
        break;
      case 'day-month-swap': {
        if (!birthDate || birthDate.length < 10) continue;
        const [y, m, d] = birthDate.split('-');
        if (Number(d) > 12 || d === m) continue;
        birthDate = `${y}-${d}-${m}`;
        break;
      }
      case 'nationality-alias':
        if (nationality === 'DEU') nationality = 'D';
        else if (nationality === 'D') nationality = 'DEU';
        else if (nationality === 'GBR') nationality = 'GBD';
        else continue;
        break;
    }
    applied.push(what);
  }
  if (!surname.trim()) [surname, given] = [given, ''];
  return { query: { id: listed.id, surname, givenNames: given || undefined, birthDate, nationality }, applied };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main(): Promise<void> {
  const pickRand = seededRandom(42);
  const sources = new Set<number>();
  while (sources.size < MATCHING_QUERIES + NAMESAKE_QUERIES) sources.add(Math.floor(pickRand() * PERSONS));
  const kept = new Map<number, Listed>();

  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const index = buildPersonIndex(listedPersons(PERSONS, 7, sources, kept));
  const buildSeconds = (performance.now() - t0) / 1000;
  gc();
  const after = process.memoryUsage();
  const indexMiB = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
  console.log(`index of ${index.size.toLocaleString()} persons built in ${buildSeconds.toFixed(1)} s, ~${indexMiB.toFixed(0)} MiB (heap + typed arrays, includes the ${MATCHING_QUERIES + NAMESAKE_QUERIES} persons kept for queries)`);

  // Labelled queries.
  const rand = seededRandom(2024);
  const labelled: Array<{ query: PersonQuery; expect: string | null; kind: string }> = [];
  const keptList = [...kept.values()];
  for (let i = 0; i < MATCHING_QUERIES; i++) {
    const listed = keptList[i];
    const { query, applied } = variantQuery(rand, listed, 1 + (rand() < 0.4 ? 1 : 0));
    labelled.push({ query, expect: listed.id, kind: applied.join('+') || 'copy' });
  }
  for (let i = 0; i < NAMESAKE_QUERIES; i++) {
    const listed = keptList[MATCHING_QUERIES + i];
    const year = Number(listed.birthDate!.slice(0, 4));
    const other = year + (rand() < 0.5 ? -1 : 1) * (3 + Math.floor(rand() * 20));
    labelled.push({ query: { id: `namesake-${i}`, surname: listed.surname, givenNames: listed.givenNames, birthDate: `${other}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-15`, nationality: listed.nationality }, expect: null, kind: 'namesake, other birth year' });
  }
  const freshRand = seededRandom(99);
  for (let i = 0; i < FRESH_QUERIES; i++) {
    const person = makePerson(freshRand);
    const date = makeDate(freshRand);
    labelled.push({ query: { id: `fresh-${i}`, surname: person.surname, givenNames: person.given, birthDate: date.length === 10 ? date : `${date.slice(0, 4)}-06-15`, nationality: person.nationality }, expect: null, kind: 'not listed' });
  }

  // Warm up, then time each query on this (single) thread. Every query is screened once with
  // threshold 0, so the alerts at any threshold can be counted afterwards from the same candidates.
  for (let i = 0; i < 200; i++) index.screen(labelled[i % labelled.length].query);
  const times: number[] = [];
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpuTimes: number[] = [];
  const slowest: Array<{ ms: number; query: PersonQuery }> = [];
  const screened: Screened[] = [];
  for (const { query, expect, kind } of labelled) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const candidates = index.screen(query, { threshold: 0 });
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    times.push(ms);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    if (ms > 20 && slowest.length < 15) slowest.push({ ms, query });
    screened.push({ query, expect, kind, candidates });
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);

  // The threshold is chosen on one half of the queries and judged on the other, so the reported
  // figures are not fitted to the very queries they are measured on.
  const calibration = screened.filter((_, i) => i % 2 === 0);
  const test = screened.filter((_, i) => i % 2 === 1);
  const meetingTargets: number[] = [];
  const curve: Array<{ threshold: number; recall: number; precision: number }> = [];
  for (let t = 0.5; t <= 0.95 + 1e-9; t += 0.01) {
    const threshold = Math.round(t * 100) / 100;
    const m = evaluate(calibration, threshold);
    curve.push({ threshold, recall: Number(m.recall.toFixed(4)), precision: Number(m.precision.toFixed(4)) });
    if (m.precision >= TARGETS.precision && m.recall >= TARGETS.recall) meetingTargets.push(threshold);
  }
  // The middle of the range that meets both targets, not an edge of it: an edge fitted to these
  // queries would be the first to fail on others.
  const calibrated = meetingTargets.length ? Math.round(50 * (meetingTargets[0] + meetingTargets[meetingTargets.length - 1])) / 100 : undefined;
  const atDefault = evaluate(test, DEFAULT_THRESHOLD);
  const atDefaultAll = evaluate(screened, DEFAULT_THRESHOLD);
  const summary = (m: Evaluation) => ({
    recall: Number(m.recall.toFixed(4)),
    precision: Number(m.precision.toFixed(4)),
    precisionWithoutIndistinguishableNamesakes: Number(m.precisionWithoutNamesakes.toFixed(4)),
    alerts: { true: m.truePositives, false: m.falsePositives, falseOnIndistinguishableNamesakes: m.namesakeAlerts },
  });
  const result = {
    persons: index.size,
    threshold: DEFAULT_THRESHOLD,
    build: { seconds: Number(buildSeconds.toFixed(2)), memoryMiB: Math.round(indexMiB) },
    queries: { matching: MATCHING_QUERIES, namesakes: NAMESAKE_QUERIES, notListed: FRESH_QUERIES, split: 'even-numbered queries calibrate, odd-numbered test' },
    latencyMs: { p50: Number(percentile(times, 0.5).toFixed(3)), p99: Number(percentile(times, 0.99).toFixed(3)), max: Number(times[times.length - 1].toFixed(3)) },
    cpuMsPerQuery: { p50: Number(percentile(cpuTimes, 0.5).toFixed(3)), p99: Number(percentile(cpuTimes, 0.99).toFixed(3)) },
    loadAverage: Number(os.loadavg()[0].toFixed(2)),
    // The headline: the test half at the default threshold.
    ...summary(atDefault),
    allQueries: summary(atDefaultAll),
    calibration: {
      thresholdsMeetingTargets: meetingTargets.length ? [meetingTargets[0], meetingTargets[meetingTargets.length - 1]] : null,
      suggestedThreshold: calibrated ?? null,
      curve: curve.filter((_, i) => i % 2 === 0),
    },
    atSuggestedThreshold: calibrated === undefined ? null : summary(evaluate(test, calibrated)),
    missedByVariant: atDefault.missedByKind,
    falseAlertsByVariant: atDefault.falseByKind,
    namesakeRate: namesakeRate(PERSONS),
    targets: TARGETS,
    meetsTargets: percentile(times, 0.5) <= TARGETS.p50Ms && percentile(times, 0.99) <= TARGETS.p99Ms && atDefault.recall >= TARGETS.recall && atDefault.precision >= TARGETS.precision,
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
  if (process.env.SCREENING_BENCH_DEBUG) console.log(JSON.stringify({ misses: atDefault.misses, falseAlerts: atDefault.falseAlerts, slowest }, null, 1));
  const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '.bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'screening.json'), JSON.stringify(result, null, 2) + '\n');
}

interface Screened { query: PersonQuery; expect: string | null; kind: string; candidates: Candidate[] }
interface Evaluation {
  recall: number;
  precision: number;
  precisionWithoutNamesakes: number;
  truePositives: number;
  falsePositives: number;
  namesakeAlerts: number;
  missedByKind: Record<string, number>;
  falseByKind: Record<string, number>;
  misses: unknown[];
  falseAlerts: unknown[];
}

/** Recall over the listed persons' variants and precision over all alerts, at `threshold`. */
function evaluate(screened: Screened[], threshold: number): Evaluation {
  let truePositives = 0;
  let falsePositives = 0;
  let namesakeAlerts = 0;
  let found = 0;
  let matching = 0;
  const missedByKind = new Map<string, number>();
  const falseByKind = new Map<string, number>();
  const misses: unknown[] = [];
  const falseAlerts: unknown[] = [];
  for (const { query, expect, kind, candidates } of screened) {
    for (const c of candidates) {
      if (c.score < threshold) continue;
      if (c.id === expect) truePositives++;
      else {
        falsePositives++;
        falseByKind.set(kind, (falseByKind.get(kind) ?? 0) + 1);
        // A listed namesake agreeing with everything the query gives (same name, a consistent date, no
        // contrary nationality) cannot be told apart by any engine: counted, and reported apart.
        const f = c.features;
        if (f.name.score === 1 && f.birthDate.score > 0 && !(f.nationality.weight > 0 && f.nationality.score === 0)) namesakeAlerts++;
        if (falseAlerts.length < 25) falseAlerts.push({ query, candidate: `${c.id} ${c.features.name.detail} | ${c.features.birthDate.detail} | ${c.features.nationality.detail}`, score: c.score, kind });
      }
    }
    if (expect) {
      matching++;
      if (candidates.some((c) => c.score >= threshold && c.id === expect)) found++;
      else {
        missedByKind.set(kind, (missedByKind.get(kind) ?? 0) + 1);
        const mine = candidates.find((c) => c.id === expect);
        if (misses.length < 25) misses.push({ query, kind, own: mine && { score: mine.score, name: mine.features.name.detail, date: mine.features.birthDate.detail }, best: candidates[0] && { id: candidates[0].id, score: candidates[0].score, name: candidates[0].features.name.detail } });
      }
    }
  }
  const byCount = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
  return {
    recall: found / Math.max(1, matching),
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    precisionWithoutNamesakes: truePositives / Math.max(1, truePositives + falsePositives - namesakeAlerts),
    truePositives,
    falsePositives,
    namesakeAlerts,
    missedByKind: byCount(missedByKind),
    falseByKind: byCount(falseByKind),
    misses,
    falseAlerts,
  };
}

/**
 * How often the generated list repeats a full name with the same birth year, by culture: the share
 * of persons who have such a namesake. The fairness check of the generator — a list that repeats
 * names far more than a real population would make precision unreachable for any engine.
 */
function namesakeRate(count: number): Record<string, number> {
  const rand = seededRandom(7);
  const seen = new Map<string, Map<number, number>>();
  for (let i = 0; i < count; i++) {
    const person = makePerson(rand);
    const record = { birthDate: makeDate(rand) };
    if (rand() < 0.1) syllabicName(rand);
    const culture = cultureOf(person);
    let keys = seen.get(culture);
    if (!keys) seen.set(culture, (keys = new Map()));
    // A 52-bit hash of name and year rather than the string: a million strings would crowd the heap.
    const key = hash52(`${person.surname}|${person.given}|${record.birthDate.slice(0, 4)}`);
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const [culture, keys] of seen) {
    let persons = 0;
    let shared = 0;
    for (const n of keys.values()) {
      persons += n;
      if (n > 1) shared += n;
    }
    out[culture] = Number((shared / persons).toFixed(4));
  }
  return out;
}

function cultureOf(person: Person): string {
  const n = person.nationality;
  if (AR_NATIONS.includes(n)) return 'arabic';
  if (ES_NATIONS.includes(n)) return 'spanish';
  if (['RUS', 'UKR', 'BLR', 'KAZ'].includes(n)) return 'russian';
  if (['GRC', 'CYP'].includes(n)) return 'greek';
  if (['CHN', 'TWN', 'SGP', 'HKG'].includes(n)) return 'chinese';
  if (DE_NATIONS.includes(n)) return 'german-nordic';
  if (EN_NATIONS.includes(n)) return 'english';
  if (n === 'TUR') return 'turkish';
  return 'syllabic tail';
}

function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 20 + ((b >>> 0) & 0xfffff);
}

if (process.argv.includes('--namesakes-only')) console.log(JSON.stringify(namesakeRate(PERSONS), null, 2));
else await main();
