import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbConfig, DynamodbConfig } from '@app/common';
import { CoursesRepository } from './courses/courses.repository';
import { createDynamoDbClients, DynamoDbClients } from './dynamodb.client';
import { DynamoDbReadiness } from './dynamodb.readiness';
import { DYNAMODB_CLIENT, DYNAMODB_CLIENTS, DYNAMODB_DOC_CLIENT } from './dynamodb.tokens';
import { CartRepository } from './enrollments/cart.repository';
import { EnrollmentsRepository } from './enrollments/enrollments.repository';
import { HistoryRepository } from './history/history.repository';
import { CapacityMeter } from './kit/capacity';
import { CursorCodec } from './kit/cursor';
import { WriteAdmission } from './kit/write-admission';
import { OutboxRepository } from './outbox/outbox.repository';
import { PermitsRepository } from './permits/permits.repository';
import { SchedulesRepository } from './schedules/schedules.repository';
import { TableNames } from './tables';
import { TermsRepository } from './terms/terms.repository';
import { UsersRepository } from './users/users.repository';
import { WaitlistRepository } from './waitlist/waitlist.repository';

/** Destroys the client's keep-alive sockets when the app shuts down. */
@Injectable()
class DynamoDbLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DYNAMODB_CLIENT) private readonly client: DynamoDBClient) {}

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}

const repositories = [
  CartRepository,
  CoursesRepository,
  EnrollmentsRepository,
  HistoryRepository,
  OutboxRepository,
  PermitsRepository,
  SchedulesRepository,
  TermsRepository,
  UsersRepository,
  WaitlistRepository,
];

@Module({
  providers: [
    {
      provide: DYNAMODB_CLIENTS,
      inject: [dynamodbConfig.KEY],
      useFactory: (config: DynamodbConfig): DynamoDbClients => createDynamoDbClients(config),
    },
    {
      provide: DYNAMODB_CLIENT,
      inject: [DYNAMODB_CLIENTS],
      useFactory: (c: DynamoDbClients) => c.client,
    },
    {
      provide: DYNAMODB_DOC_CLIENT,
      inject: [DYNAMODB_CLIENTS],
      useFactory: (c: DynamoDbClients) => c.doc,
    },
    CapacityMeter,
    CursorCodec,
    DynamoDbLifecycle,
    DynamoDbReadiness,
    TableNames,
    WriteAdmission,
    ...repositories,
  ],
  exports: [
    DYNAMODB_CLIENT,
    DYNAMODB_DOC_CLIENT,
    CapacityMeter,
    CursorCodec,
    DynamoDbReadiness,
    TableNames,
    ...repositories,
  ],
})
export class DataModule {}
