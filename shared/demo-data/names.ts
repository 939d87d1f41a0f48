import type { Language } from '../domain/language';

/** Name pools per language, transliterated to Latin script as the CRM stores them. */
export const GIVEN_NAMES: Record<Language, { female: string[]; male: string[] }> = {
  en: {
    female: ['Emily', 'Sarah', 'Jessica', 'Olivia', 'Elizabeth', 'Katherine', 'Rebecca', 'Margaret', 'Hannah', 'Grace', 'Abigail', 'Megan'],
    male: ['James', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Thomas', 'Daniel', 'Matthew', 'Anthony', 'Christopher', 'Andrew'],
  },
  he: {
    female: ['Yael', 'Noa', 'Tamar', 'Shira', 'Michal', 'Avigail', 'Maya', 'Rivka', 'Hila', 'Efrat', 'Orly', 'Dana'],
    male: ['Yosef', 'Avraham', 'Moshe', 'Itai', 'Noam', 'Eitan', 'Yonatan', 'Ariel', 'Omer', 'Amit', 'Daniel', 'Gil'],
  },
  ru: {
    female: ['Anastasia', 'Ekaterina', 'Olga', 'Natalia', 'Irina', 'Svetlana', 'Tatiana', 'Yulia', 'Marina', 'Elena', 'Maria', 'Alina'],
    male: ['Dmitri', 'Alexander', 'Sergei', 'Andrei', 'Mikhail', 'Ivan', 'Nikolai', 'Pavel', 'Vladimir', 'Alexei', 'Yuri', 'Boris'],
  },
  zh: {
    female: ['Li Na', 'Xiu Ying', 'Mei', 'Jing', 'Fang', 'Yan', 'Hui', 'Ling', 'Xia', 'Ying'],
    male: ['Wei', 'Jun', 'Hao', 'Lei', 'Jie', 'Tao', 'Ming', 'Qiang', 'Yong', 'Chao'],
  },
  ar: {
    female: ['Fatima', 'Layla', 'Noor', 'Amira', 'Rania', 'Samira', 'Yasmin', 'Huda'],
    male: ['Mohammed', 'Ahmad', 'Omar', 'Khaled', 'Yusuf', 'Karim', 'Samir', 'Tariq'],
  },
  es: {
    female: ['Maria', 'Lucia', 'Sofia', 'Carmen', 'Isabel', 'Ana', 'Paula', 'Elena'],
    male: ['Jose', 'Carlos', 'Javier', 'Miguel', 'Alejandro', 'Pablo', 'Diego', 'Luis'],
  },
};

export const FAMILY_NAMES: Record<Language, string[]> = {
  en: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thompson', 'Moore', 'Clark', 'Walker', 'Hall'],
  he: ['Cohen', 'Levi', 'Mizrahi', 'Peretz', 'Biton', 'Dahan', 'Avraham', 'Friedman', 'Azoulay', 'Katz', 'Shapiro', 'Ben-David', 'Golan', 'Ohana'],
  ru: ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Sokolov', 'Lebedev', 'Kozlov', 'Novikov', 'Morozov', 'Petrov', 'Volkov', 'Fedorov'],
  zh: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun'],
  ar: ['Haddad', 'Khoury', 'Nasser', 'Saleh', 'Mansour', 'Darwish', 'Hamdan', 'Abbas'],
  es: ['Garcia', 'Martinez', 'Lopez', 'Sanchez', 'Perez', 'Gomez', 'Fernandez', 'Torres'],
};

/** Nicknames that support agents type instead of the legal name. */
export const NICKNAMES: Record<string, string> = {
  Elizabeth: 'Liz', Katherine: 'Kate', Rebecca: 'Becky', Margaret: 'Maggie', Abigail: 'Abby', Robert: 'Bob',
  Michael: 'Mike', William: 'Bill', Richard: 'Rick', Thomas: 'Tom', Daniel: 'Dan', Matthew: 'Matt',
  Anthony: 'Tony', Christopher: 'Chris', Andrew: 'Andy', Alexander: 'Sasha', Dmitri: 'Dima', Ekaterina: 'Katya',
  Anastasia: 'Nastya', Mikhail: 'Misha', Yonatan: 'Yoni', Avraham: 'Avi', Yosef: 'Yossi', Javier: 'Javi',
};

export const STREETS: Record<string, string[]> = {
  IL: ['Herzl St', 'Rothschild Blvd', 'Jabotinsky St', 'Ben Yehuda St', 'Weizmann St', 'Allenby St', 'HaNassi St'],
  US: ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Park Ave', 'Washington St', 'Lake Rd'],
  GB: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Green Lane', 'Manor Road'],
  ES: ['Calle Mayor', 'Gran Via', 'Calle de Alcala', 'Paseo del Prado', 'Calle Serrano'],
};

export const CITIES: Record<string, { city: string; region: string; postcodePrefix: string; tz: string }[]> = {
  IL: [
    { city: 'Tel Aviv', region: 'Tel Aviv', postcodePrefix: '6', tz: 'Asia/Jerusalem' },
    { city: 'Haifa', region: 'Haifa', postcodePrefix: '3', tz: 'Asia/Jerusalem' },
    { city: 'Jerusalem', region: 'Jerusalem', postcodePrefix: '9', tz: 'Asia/Jerusalem' },
    { city: 'Beersheba', region: 'Southern', postcodePrefix: '8', tz: 'Asia/Jerusalem' },
  ],
  US: [
    { city: 'New York', region: 'NY', postcodePrefix: '100', tz: 'America/New_York' },
    { city: 'San Francisco', region: 'CA', postcodePrefix: '941', tz: 'America/Los_Angeles' },
    { city: 'Chicago', region: 'IL', postcodePrefix: '606', tz: 'America/Chicago' },
    { city: 'Miami', region: 'FL', postcodePrefix: '331', tz: 'America/New_York' },
  ],
  GB: [
    { city: 'London', region: 'Greater London', postcodePrefix: 'N', tz: 'Europe/London' },
    { city: 'Manchester', region: 'Greater Manchester', postcodePrefix: 'M', tz: 'Europe/London' },
  ],
  ES: [
    { city: 'Madrid', region: 'Madrid', postcodePrefix: '280', tz: 'Europe/Madrid' },
    { city: 'Barcelona', region: 'Catalonia', postcodePrefix: '080', tz: 'Europe/Madrid' },
  ],
};
