import { type Advisor, advisorsFor, type AppointmentType, type BookingCalendarConfig, slotProblem } from './calendar';
import { checkContact, type Contact } from './contact';
import { bookingLocation } from './presentation';
import { bookingErrorTexts as T } from './texts';
import { type Booking, BookingRequestInvalid, SlotUnavailable } from './types';

export interface KommuneRef {
  ags: string;
  name: string;
}

export interface CatalogOptions {
  calendar: BookingCalendarConfig;
  /** Resolves an AGS to the Kommune's name; undefined = unknown AGS. */
  kommune: (ags: string) => KommuneRef | undefined;
  /** Who may book which type; the composition root asks the eligibility engine. Default: everyone. */
  isEligible?: (ags: string, type: AppointmentType) => boolean | Promise<boolean>;
}

/**
 * What can be booked, by whom and with whom: lookups in booking.yaml plus the checks every
 * command makes before it touches the database. No SQL here.
 */
export class BookingCatalog {
  readonly calendar: BookingCalendarConfig;

  constructor(private readonly opts: CatalogOptions) {
    this.calendar = opts.calendar;
  }

  appointmentType(id: string): AppointmentType | undefined {
    return this.calendar.appointmentTypes.find((t) => t.id === id);
  }

  advisor(id: string): Advisor | undefined {
    return this.calendar.advisors.find((a) => a.id === id);
  }

  kommune(ags: string): KommuneRef | undefined {
    return this.opts.kommune(ags);
  }

  /** Types this Kommune may book and an advisor covers. */
  async typesFor(ags: string): Promise<AppointmentType[]> {
    const out: AppointmentType[] = [];
    for (const t of this.calendar.appointmentTypes) {
      if (!advisorsFor(this.calendar, t.id, ags).length) continue;
      if (this.opts.isEligible && !(await this.opts.isEligible(ags, t))) continue;
      out.push(t);
    }
    return out;
  }

  /** The type, the Kommune and the advisors covering both; BookingRequestInvalid otherwise. */
  requireType(ags: string, typeId: string): { type: AppointmentType; kommune: KommuneRef; advisors: Advisor[] } {
    const kommune = this.opts.kommune(ags);
    if (!kommune) throw new BookingRequestInvalid(T.unknownAgs);
    const type = this.appointmentType(typeId);
    if (!type) throw new BookingRequestInvalid(T.unknownType);
    const advisors = advisorsFor(this.calendar, typeId, ags);
    if (!advisors.length) throw new BookingRequestInvalid(T.nobodyOffers);
    return { type, kommune, advisors };
  }

  async requireEligible(ags: string, type: AppointmentType): Promise<void> {
    if (this.opts.isEligible && !(await this.opts.isEligible(ags, type))) throw new BookingRequestInvalid(T.notEligible);
  }

  /**
   * The advisors (all, or the one asked for) for whom the start lies in their hours, the lead
   * time and the horizon; SlotUnavailable('invalid') with the first reason when none does.
   */
  advisorsForStart(type: AppointmentType, advisors: Advisor[], advisorId: string | undefined, startMs: number, now: number): Advisor[] {
    let candidates = advisors;
    if (advisorId) {
      const a = advisors.find((x) => x.id === advisorId);
      if (!a) throw new BookingRequestInvalid(T.advisorDoesNotOffer);
      candidates = [a];
    }
    const ok: Advisor[] = [];
    let reason = '';
    for (const a of candidates) {
      const p = slotProblem(this.calendar, type, a, startMs, now);
      if (p) reason = reason || p;
      else ok.push(a);
    }
    if (!ok.length) throw new SlotUnavailable('invalid', reason);
    return ok;
  }

  validContact(c: Contact): Contact {
    const r = checkContact(c);
    if (!r.ok) throw new BookingRequestInvalid(T.invalidContact(r.invalid));
    return r.contact;
  }

  location(b: Pick<Booking, 'onSite' | 'municipalityName'>): string {
    return bookingLocation(this.calendar, b);
  }
}
