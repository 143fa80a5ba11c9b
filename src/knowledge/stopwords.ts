/**
 * Words that carry no topic in a question. German (standard and the colloquial forms staff
 * actually type: "nix", "mal", "halt") plus English, because English questions are answered too.
 * Kept in code, not in knowledge/, because they belong to the language, not to the content.
 */
const GERMAN = `
aber alle allem allen aller alles als also am an ander andere anderen anders auch auf aus bei beim bin bis bitte
bist da dabei dadurch dafür dagegen daher dahin damals damit danach dann daran darauf daraus darf darfst darin
darüber darum darunter das dass daß dem den denen denn dennoch der deren derer des deshalb dessen dich die dies
diese diesem diesen dieser dieses dir doch dort du durch dürfen dürft dürfte ein eine einem einen einer eines
einfach einige einmal er es etwa etwas euch euer eure für gegen gewesen gibt gab ging habe haben habt hab hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in ins ist ja jede jedem jeden
jeder jedes jemand jetzt kann kannst kein keine keinem keinen keiner können könnt könnte konnte man manche mehr
mein meine meinem meinen meiner mich mir mit muss musst müssen müsst nach neben nein nicht nichts nix noch nun nur
ob oder ohne sehr sein seine seinem seinen seiner seit sich sie sind so solche soll sollen sollte sollten sonst
sowie über um und uns unser unsere unserem unseren unserer unter viel viele vom von vor wann war waren warum was
weil welche welchem welchen welcher welches wem wen wenn wer werde werden wessen wie wieso wieviel wieviele wie
viel wir wird wirst wo wobei woher wohin wollen wollte worden wurde wurden zu zum zur zwar zwischen
ab an konnten könnten wen wem wer mal halt eigentlich jemand dafur gibts nen ne unser unsere unseren eben gerne gern genau bzw ca eg evtl ggf usw hallo guten tag moin servus danke bitte frage
fragen wissen weiß weiss sagen sag erklären erkläre kurz bekommen kriegen kriegt bekommt gehts geht gilt machen
mache macht tun brauchen brauche braucht gerade grad bekomme krieg kriege zeit wat dat net nimmer arg gell ebbes wos is a bissl bisschen
inzwischen mittlerweile komplett extra speziell ganz ganze ganzen ganzer ganzes raus rein drin dran drauf irgendwie irgendwo irgendwas irgendwann irgendein irgendeine überhaupt wirklich ziemlich gleich schon bereits bisschen paar kurze kurzen kurzer letzte letzten letzter letztes neulich gestern bald später vorher nachher zuerst hierzu trotzdem allerdings jedenfalls sowieso ohnehin eh quasi sozusagen ungefähr vielleicht wohl leider hoffentlich natürlich klar okay ok sorry super toll prima echt eher erstmal erst mehrere weitere weiteren sowas sone sonen
innerhalb außerhalb während wegen trotz statt anstatt bezüglich bzgl gemäß laut seitens mittels anhand wofür wozu womit woran worauf worüber wodurch wovon weshalb weswegen inwiefern inwieweit
tatsächlich wirklichen konkret nochmal nochmals wieder außerdem ebenfalls sogar jeweils insgesamt momentan derzeit zurzeit manchmal gäbe gabs jemanden jemandem vs versus etc
`;

const ENGLISH = `
a about all also am an and any are as at be been but by can could do does did for from get got has have how i if
in into is its me my of on or our please should so some tell that the their them there these they this to
us was we what when where which who whom why will with would you your after before then than just
need want know inter per many much
here only very really still already yet now right today yesterday tomorrow hi hello hey thanks thank sorry quick question questions anyone someone somebody something anything everything nothing one ones thing things way lot more most less other another same such own gets getting make makes made take takes give gives go goes going come comes say says said told think know see look use used using like well good new old last next s m re ve ll d t don doesn didn isn aren wasn won can't actually exactly usually until while because though without against between through during each every both either neither no yes ok okay may might shall must been being having doing those he she him her his hers its itself ourselves myself yourself mine ours yours someone whether also even ever again back bit guess wonder wondering mean means maybe perhaps probably anyway
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  `${GERMAN} ${ENGLISH}`.split(/\s+/).filter((w) => w.length > 0),
);

/** English function words that do not occur in German questions; two of them mark a question as English. */
export const ENGLISH_MARKERS: ReadonlySet<string> = new Set(
  'the what how who whom which where when why are does do did can could should our we my your there of to for with get much many about'.split(' '),
);
