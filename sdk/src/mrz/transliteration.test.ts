// Known answers for the name transliteration of Doc 9303 part 3 (Latin, Cyrillic, Arabic) and
// ELOT 743 (Greek), as they appear in the MRZ of passports of the countries using each script.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasArabicScript, transliterateName, transliterateToLatin } from './index.js';

test('Latin national characters: multi-letter forms and the single-letter alternatives', () => {
  assert.is(transliterateToLatin('Müller-Lüdenscheidt'), 'MUELLER LUEDENSCHEIDT');
  assert.is(transliterateToLatin('Müller-Lüdenscheidt', { singleLetterAlternatives: true }), 'MULLER LUDENSCHEIDT');
  assert.is(transliterateToLatin('Åsa Öberg', { singleLetterAlternatives: true }), 'ASA OBERG');
  assert.is(transliterateToLatin('Åsa Öberg'), 'AASA OEBERG');
  // Letters without a single-letter alternative keep their Doc 9303 form either way.
  assert.is(transliterateToLatin('Strauß Þórsdóttir', { singleLetterAlternatives: true }), 'STRAUSS THORSDOTTIR');
  assert.is(transliterateToLatin('Çelik Şahin İnönü'), 'CELIK SAHIN INOENUE');
});

test('Cyrillic after Doc 9303 part 3', () => {
  assert.is(transliterateToLatin('Иванов'), 'IVANOV');
  assert.is(transliterateToLatin('Щербаков Юрий'), 'SHCHERBAKOV IURII');
  assert.is(transliterateToLatin('Хрущёв'), 'KHRUSHCHEV');
  assert.is(transliterateToLatin('Цой Артём'), 'TSOI ARTEM');
  assert.is(transliterateToLatin('Объедков Марья Эдуардовна'), 'OBIEEDKOV MARIA EDUARDOVNA');
  assert.is(transliterateToLatin('Євгенія Ґонта Її'), 'IEVGENIIA GONTA II');
  assert.is(transliterateToLatin('Ђорђевић Љиљана Његош Џаја'), 'DORDEVIC LJILJANA NJEGOSH DZAJA');
  assert.is(transliterateToLatin('Ѓорѓи Ќосе Ѕвезда Ўладзімір'), 'GORGI KOSE DZVEZDA ULADZIMIR');
  assert.is(transliterateName('Иванов-Петров Сергей'), 'IVANOV<PETROV<SERGEI');
});

test('Greek after ELOT 743, with its digraph rules', () => {
  assert.is(transliterateToLatin('Παπαδόπουλος'), 'PAPADOPOULOS');
  assert.is(transliterateToLatin('ΓΕΩΡΓΙΟΣ'), 'GEORGIOS');
  assert.is(transliterateToLatin('Ευαγγελία'), 'EVANGELIA');
  assert.is(transliterateToLatin('Ευθύμιος'), 'EFTHYMIOS');
  assert.is(transliterateToLatin('Χατζηδάκης Ψαρράς'), 'CHATZIDAKIS PSARRAS');
  assert.is(transliterateToLatin('Μπούρας'), 'BOURAS');
  assert.is(transliterateToLatin('Λάμπρος'), 'LAMPROS');
  // A diaeresis keeps the vowels apart: Αϊ is A-I, Ευ is a digraph, Εΰ is not.
  assert.is(transliterateToLatin('Αϊδίνης Μαΐστρος'), 'AIDINIS MAISTROS');
  assert.is(transliterateToLatin('Σπύρος Ιωάννης'), 'SPYROS IOANNIS');
});

test('Arabic after Doc 9303 part 3: consonants with X escapes, teh marbuta by position', () => {
  assert.is(transliterateToLatin('محمد'), 'MXHMD');
  assert.is(transliterateToLatin('خالد'), 'XKHALD');
  assert.is(transliterateToLatin('فاطمة'), 'FAXTTMXAH');
  assert.is(transliterateToLatin('فاطمةالزهراء'), 'FAXTTMXTAALZHRAXE');
  assert.is(transliterateToLatin('عبد الله'), 'EBD ALLH');
  assert.is(transliterateToLatin('يوسف أحمد'), 'YWSF XAEXHMD');
  // Vowel marks (fatha, damma, shadda) carry no letter of their own.
  assert.is(transliterateToLatin('مُحَمَّد'), 'MXHMD');
  assert.ok(hasArabicScript('يوسف'));
  assert.not.ok(hasArabicScript('Yousef'));
});

test('separators, apostrophes and unknown scripts', () => {
  assert.is(transliterateToLatin("  O'Brien--Smith  "), 'OBRIEN SMITH');
  assert.is(transliterateToLatin('D’Angelo J. R.'), 'DANGELO J R');
  assert.is(transliterateToLatin('王 Wei'), 'WEI');
  assert.is(transliterateToLatin(''), '');
});

test.run();
