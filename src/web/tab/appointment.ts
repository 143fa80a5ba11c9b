/**
 * What the "Meine Termine" tab shows for one appointment. Shared by the server route
 * (src/channels/tab-routes.ts) and the browser script, so both sides agree on the JSON.
 */
/** The tab lists upcoming confirmed bookings only (BookingService.listForUser). */
export type TabAppointmentStatus = 'confirmed';

export interface TabAppointment {
  /** Booking reference the user quotes to the KDLZ, e.g. in e-mails. */
  reference: string;
  /** Start time, ISO-8601 in UTC; the tab shows it in Europe/Berlin. */
  start: string;
  durationMinutes?: number;
  /** German name of the appointment type as configured in knowledge/booking.yaml. */
  type: string;
  status: TabAppointmentStatus;
}

/** Body of GET /api/tab/appointments. */
export interface TabAppointmentsResponse {
  appointments: TabAppointment[];
}
