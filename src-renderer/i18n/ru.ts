import type { DeepPartial } from './types';
import type { Messages } from './en';

/** Russian UI strings; anything missing falls back to English. */
export const ru: DeepPartial<Messages> = {
  login: { title: 'Вход', username: 'Имя пользователя', password: 'Пароль', submit: 'Войти', server: 'Сервер', demoUsers: 'Демо-пользователи (пароль «demo»)', agent: 'Оператор', supervisor: 'Руководитель', failed: 'Не удалось войти: {{message}}' },
  status: { online: 'В сети', connecting: 'Подключение…', offline: 'Нет связи', syncing: 'Синхронизация клиентов: {{done}} из {{total}}', goReady: 'Готов', goAway: 'Отошёл', signOut: 'Выйти', presence: { available: 'Готов', away: 'Отошёл', reserved: 'Звонок', on_call: 'На линии', wrap_up: 'Итоги звонка', offline: 'Не в сети' } },
  idle: { readyTitle: 'Готов к следующему звонку', awayTitle: 'Вы отошли', awayHint: 'Перейдите в режим «Готов», чтобы принимать звонки.', readyHint: 'Профиль, риск и сценарий появятся здесь, как только поступит звонок.', saved: 'Итоги сохранены.' },
  call: { incoming: 'Входящий звонок', onCall: 'На линии', wrapUp: 'Итоги звонка', accept: 'Ответить', decline: 'Отклонить', hangUp: 'Завершить', unknownCaller: 'Неизвестный абонент' },
  risk: { title: 'Риск ухода', band: { low: 'Низкий', medium: 'Средний', high: 'Высокий' }, reasons: 'Почему' },
  value: { title: 'Ценность', atRisk: 'Ценность под угрозой' },
  script: { title: 'Сценарий удержания', offers: 'Лучшие предложения' },
  brief: { title: 'Краткая сводка', onDevice: 'Сводка на устройстве' },
  timeline: { title: 'История' },
  wrapup: { title: 'Итоги звонка', save: 'Сохранить итоги', notes: 'Заметки', summary: 'Резюме' },
  supervisor: { title: 'Смена удержания', agents: 'Операторы', queue: 'Очередь', outcomes: 'Последние результаты' },
};
