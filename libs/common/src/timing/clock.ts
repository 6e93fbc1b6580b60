import { Injectable } from '@nestjs/common';

/**
 * Where the services that apply a calendar (registration windows, deadlines) read the time: one
 * injectable seam, so an e2e test can move the time a service sees without touching the machine's.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
