import { nameKey } from './text';

/**
 * Formal given names and their common English short forms. A compact list in
 * code (no package keeps a maintained, licence-clear table of this size); a
 * short form may belong to several formal names (Chris, Alex, Sam).
 */
const GROUPS = `
robert:bob,bobby,rob,robbie,bert,robin;william:bill,billy,will,willy,liam,willie;richard:dick,rick,ricky,rich,richie;
james:jim,jimmy,jamie,jimbo;john:jack,johnny,jon,jonny;jonathan:jon,jonny,nathan;joseph:joe,joey,jos;
michael:mike,mikey,mick,mickey,mich;christopher:chris,kit,topher;christine:chris,chrissy,tina,christina;
thomas:tom,tommy;charles:charlie,chuck,chas,chaz;edward:ed,eddie,ted,teddy,ned;henry:hank,harry,hal;
harold:harry,hal;elizabeth:liz,lizzie,beth,betty,bette,eliza,libby,liza,elisabeth,betsy;margaret:maggie,meg,peggy,marge,margie,greta,madge;
katherine:kate,katie,kathy,kath,kat,kay,catherine,kathryn,cathy,kitty;mary:molly,polly,mae,mamie,maria;
patricia:pat,patty,tricia,trish;patrick:pat,paddy,rick;alexander:alex,al,sandy,xander,alec,sasha;
alexandra:alex,sandra,sandy,lexi,sasha,alexa;samuel:sam,sammy;samantha:sam,sammy;daniel:dan,danny;
david:dave,davy;anthony:tony,ant;andrew:andy,drew;benjamin:ben,benny,benji;nicholas:nick,nicky,nico;
matthew:matt,matty;stephen:steve,stevie,steven;steven:steve,stevie;gregory:greg;timothy:tim,timmy;
peter:pete;francis:frank,fran;frances:fran,frankie,fanny;susan:sue,susie,suzy,suzanne;deborah:deb,debbie,debra;
jennifer:jen,jenny,jenn;jessica:jess,jessie;rebecca:becky,becca;victoria:vicky,tori,vic;
abigail:abby,gail;barbara:barb,babs,barbie;dorothy:dot,dotty,dolly;eleanor:ellie,nell,nora,elle;
gabriel:gabe;gabrielle:gabby,elle;isabella:bella,izzy,isabel;joshua:josh;kenneth:ken,kenny;
lawrence:larry,laurie;leonard:leo,len,lenny;louis:lou,louie;lucas:luke;nathaniel:nate,nat,nathan;
raymond:ray;ronald:ron,ronnie;sarah:sally,sadie,sara;theodore:ted,teddy,theo;valerie:val;
vincent:vince,vinny;zachary:zach,zack;walter:walt,wally;albert:al,bert,bertie;alfred:alf,fred,freddie;
frederick:fred,freddie,freddy;donald:don,donnie;douglas:doug;eugene:gene;gerald:gerry,jerry;
jeffrey:jeff;joanne:jo,joanna,jo-anne;josephine:jo,josie;judith:judy,jude;kimberly:kim;
lillian:lily,lil;melissa:mel,missy;pamela:pam;philip:phil,pip;phillip:phil;randolph:randy;
ronald:ron;russell:russ;stanley:stan;sylvester:sly;terence:terry;teresa:terry,tess,tessa,theresa;
virginia:ginny,ginger;wilfred:fred;yolanda:yoli;angela:angie;cynthia:cindy;evelyn:evie,eve;
geoffrey:geoff,jeff;harriet:hattie;jacqueline:jackie,jacqui;jacob:jake,jack;nancy:nan;
rosemary:rose,rosie;sophia:sophie;sophie:sophia;cameron:cam;maximilian:max;maxwell:max;
moshe:moishe,moses;avraham:avi,abraham;yosef:yossi,joseph;yitzhak:itzik,isaac;shmuel:shmulik,samuel;
dmitry:dima,dmitri;aleksandr:sasha,sanya,alexander;ivan:vanya;mikhail:misha,michael;yekaterina:katya,katia;
natalia:natasha,natalie;anastasia:nastya,stacy;ekaterina:katya;
`;

const groupsByName = new Map<string, number[]>();
const rootByGroup: string[] = [];

for (const entry of GROUPS.split(';')) {
  const [formal, shortForms] = entry.trim().split(':');
  if (formal === undefined || shortForms === undefined || formal.length === 0) continue;
  const group = rootByGroup.length;
  const root = nameKey(formal);
  rootByGroup.push(root);
  for (const name of [formal, ...shortForms.split(',')]) {
    const key = nameKey(name);
    const groups = groupsByName.get(key) ?? [];
    if (!groups.includes(group)) groups.push(group);
    groupsByName.set(key, groups);
  }
}

/** True when two given-name keys (see nameKey) are the same name or a known short form of one another. */
export function isNicknameOf(a: string, b: string): boolean {
  if (a === b) return true;
  const groupsA = groupsByName.get(a);
  const groupsB = groupsByName.get(b);
  if (groupsA === undefined || groupsB === undefined) return false;
  for (const group of groupsA) if (groupsB.includes(group)) return true;
  return false;
}

/** The formal form used for blocking ("bob" -> "robert"); the key itself when it is no known short form. */
export function givenNameRoot(key: string): string {
  const groups = groupsByName.get(key);
  if (groups === undefined) return key;
  return rootByGroup[groups[0] as number] ?? key;
}
