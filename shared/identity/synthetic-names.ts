/** Word lists for the synthetic identity generator (invented combinations, no real people). */

const split = (text: string): string[] => text.trim().split(/\s+/);

export const GIVEN_NAMES_FEMALE = split(`
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra ashley
dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen
amy shirley angela helen anna brenda pamela nicole samantha katherine emma ruth christine catherine debra rachel
carolyn janet virginia maria heather diane julie joyce victoria kelly christina lauren joan evelyn olivia judith
megan cheryl martha andrea frances hannah jacqueline ann gloria jean kathryn alice teresa sara janice doris madison
julia grace judy abigail marie denise beverly amber theresa marilyn danielle diana brittany natalie sophia rose
isabella alexis kayla charlotte noa tamar yael shira miriam natalia olga svetlana irina yelena anastasia chloe zoe
lucia sofia valentina camila mei ling fatima leila yasmin ingrid astrid freya siobhan niamh aoife
`);

export const GIVEN_NAMES_MALE = split(`
james robert john michael david william richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond
jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian
keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel
logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis moshe
avraham yosef yitzhak eitan ariel dmitry mikhail sergei ivan aleksandr nikolai mateo santiago diego luis carlos
wei jun hiroshi kenji omar hassan ahmed karim lars sven erik liam connor declan
`);

export const FAMILY_NAMES = split(`
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson
thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young
allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter
roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers
gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez
wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez
powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero
jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson
ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington
kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez
silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox
warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn
kelley spencer hawkins arnold pierce hansen peters santos hart bradley knight elliott cunningham duncan armstrong
hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman johnston matthews pena richards willis
carpenter lawrence sandoval guerrero george chapman rios estrada ortega watkins greene nunez wheeler valdez harper
burke larson santiago maldonado morrison franklin carlson austin dominguez carr lawson jacobs obrien lynch singh
vega bishop montgomery oliver jensen harvey williamson gilbert dean sims espinoza howell li wong reid hanson le
mccoy garrett burton fuller wang weber welch rojas lucas marquez fields park yang little banks padilla day walsh
cohen levi mizrahi peretz biton friedman katz azoulay ivanov smirnov kuznetsov popov sokolov lebedev kozlov novak
oconnor mueller schneider fischer becker dubois moreau lefebvre rossi russo ferrari esposito bianchi okafor mensah
`);

export const SYLLABLES = split(`
ar bel cor dan el fer gal har is jor kel lan mor nor or pen quin ros sal tor ul van wes yor zel ber ca di fo gu
ho ki lu ma ne pi ra si te vo wa
`);

export const STREET_NAMES = split(`
main oak pine maple cedar elm washington lake hill park walnut spring north ridge church willow mill sunset railroad
jackson cherry highland madison lincoln jefferson center forest river meadow valley adams franklin chestnut birch
dogwood hickory magnolia laurel poplar sycamore spruce aspen juniper cypress orchard harbor bay ocean canyon mesa
prairie summit grove heritage liberty union victory vista windsor york kingston chelsea hampton tullaroop bramble
`);

export const STREET_TYPES = split('street avenue road lane drive court place boulevard way terrace circle crescent');

export const CITIES: ReadonlyArray<{ city: string; region: string; postcodePrefix: string; areaCodes: readonly string[] }> = [
  { city: 'Springfield', region: 'IL', postcodePrefix: '627', areaCodes: ['217'] },
  { city: 'Chicago', region: 'IL', postcodePrefix: '606', areaCodes: ['312', '773'] },
  { city: 'New York', region: 'NY', postcodePrefix: '100', areaCodes: ['212', '646'] },
  { city: 'Brooklyn', region: 'NY', postcodePrefix: '112', areaCodes: ['718', '347'] },
  { city: 'Boston', region: 'MA', postcodePrefix: '021', areaCodes: ['617', '857'] },
  { city: 'Cambridge', region: 'MA', postcodePrefix: '021', areaCodes: ['617'] },
  { city: 'Austin', region: 'TX', postcodePrefix: '787', areaCodes: ['512', '737'] },
  { city: 'Houston', region: 'TX', postcodePrefix: '770', areaCodes: ['713', '832'] },
  { city: 'Dallas', region: 'TX', postcodePrefix: '752', areaCodes: ['214', '469'] },
  { city: 'Seattle', region: 'WA', postcodePrefix: '981', areaCodes: ['206'] },
  { city: 'Portland', region: 'OR', postcodePrefix: '972', areaCodes: ['503', '971'] },
  { city: 'San Francisco', region: 'CA', postcodePrefix: '941', areaCodes: ['415'] },
  { city: 'Los Angeles', region: 'CA', postcodePrefix: '900', areaCodes: ['213', '310', '323'] },
  { city: 'San Diego', region: 'CA', postcodePrefix: '921', areaCodes: ['619', '858'] },
  { city: 'Denver', region: 'CO', postcodePrefix: '802', areaCodes: ['303', '720'] },
  { city: 'Atlanta', region: 'GA', postcodePrefix: '303', areaCodes: ['404', '678'] },
  { city: 'Miami', region: 'FL', postcodePrefix: '331', areaCodes: ['305', '786'] },
  { city: 'Orlando', region: 'FL', postcodePrefix: '328', areaCodes: ['407'] },
  { city: 'Phoenix', region: 'AZ', postcodePrefix: '850', areaCodes: ['602', '480'] },
  { city: 'Minneapolis', region: 'MN', postcodePrefix: '554', areaCodes: ['612'] },
  { city: 'Detroit', region: 'MI', postcodePrefix: '482', areaCodes: ['313'] },
  { city: 'Philadelphia', region: 'PA', postcodePrefix: '191', areaCodes: ['215', '267'] },
  { city: 'Pittsburgh', region: 'PA', postcodePrefix: '152', areaCodes: ['412'] },
  { city: 'Nashville', region: 'TN', postcodePrefix: '372', areaCodes: ['615'] },
  { city: 'Columbus', region: 'OH', postcodePrefix: '432', areaCodes: ['614'] },
  { city: 'Cleveland', region: 'OH', postcodePrefix: '441', areaCodes: ['216'] },
  { city: 'Baltimore', region: 'MD', postcodePrefix: '212', areaCodes: ['410', '443'] },
  { city: 'Raleigh', region: 'NC', postcodePrefix: '276', areaCodes: ['919'] },
  { city: 'Salt Lake City', region: 'UT', postcodePrefix: '841', areaCodes: ['801'] },
  { city: 'Las Vegas', region: 'NV', postcodePrefix: '891', areaCodes: ['702'] },
];

export const EMAIL_DOMAINS = split('gmail.com yahoo.com outlook.com hotmail.com icloud.com aol.com proton.me mail.com');
