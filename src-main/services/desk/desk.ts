import type { z } from 'zod';
import type { DesktopApi, DesktopMethod, MethodOutput } from '@shared/contract/desktop-api';

/** A method's input after its schema has parsed it (defaults filled in). */
export type ParsedInput<M extends DesktopMethod> = z.output<DesktopApi[M]['input']>;

export type Handler<M extends DesktopMethod> = (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;

/**
 * A desk's slice of the contract: one handler for each method it owns. The
 * backend joins the slices and the compiler checks that every method of the
 * contract has exactly one owner (after actual's per-module `app.method`).
 */
export type Handlers<M extends DesktopMethod = DesktopMethod> = { [K in M]: Handler<K> };

/** The names of an area's methods, from its object in shared/contract/desktop/. */
export type MethodsOf<Area> = Extract<keyof Area, DesktopMethod>;
