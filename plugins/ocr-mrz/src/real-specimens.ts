/**
 * The real-world page images the project has (ICAO specimen documents photographed/scanned, in
 * ../shared/data/images) and their true MRZ, read by eye from the images. The test and the
 * benchmark read them and report them apart from the generated pages, never mixed in.
 */

export interface RealSpecimen {
  /** File name inside the shared data's `images/` folder. */
  file: string;
  format: 'TD2' | 'TD3';
  /** The MRZ as printed on the image. */
  mrz: readonly string[];
}

export const REAL_SPECIMENS: readonly RealSpecimen[] = [
  {
    // ICAO 9303 part 4's passport specimen (Anna Maria Eriksson, Utopia). The font on the image is
    // not OCR-B: line 2's nationality "UTO" is printed with an O as narrow as the zeros beside it;
    // the position allows letters only, and the specimen's check digits agree with the data.
    file: 'passport-td3.jpg',
    format: 'TD3',
    mrz: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
  },
  {
    // ICAO 9303 part 6's TD2 specimen (official travel document D23145890); 11 fillers end line 1,
    // 7 stand before the composite check digit 6 on line 2.
    file: 'passport-td2.jpg',
    format: 'TD2',
    mrz: ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
  },
];
