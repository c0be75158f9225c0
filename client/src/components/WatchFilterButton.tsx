import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api';
import { useSession } from '../session';
import { timeApi, type WatchFilter } from '../time-api';

/** Saves the dashboard's filter as a watch of the signed-in user: its total's moves become notifications. */
export function WatchFilterButton({ filter }: { filter: WatchFilter }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: timeApi.createWatch,
    onSuccess: () => {
      setOpen(false);
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['watches'] });
    },
  });
  if (!session) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ name, filter });
  }

  return (
    <div className="watch-filter">
      {open ? (
        <form className="inline-form" aria-label="Watch this filter" onSubmit={submit}>
          <label>
            Name of the watch
            <input required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
          </label>
          <button type="submit" disabled={save.isPending}>
            Save watch
          </button>
          <button type="button" className="link-button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="link-button" onClick={() => setOpen(true)}>
          Watch this filter
        </button>
      )}
      {save.isSuccess ? (
        <p className="notice" role="status">
          Watching “{save.data.name}” ({Math.round(save.data.total).toLocaleString('en-US')} H100e now). Its changes go to{' '}
          <Link to="/notifications">your notifications</Link>.
        </p>
      ) : null}
      {save.isError ? (
        <p className="error-message" role="alert">
          {save.error instanceof ApiError ? save.error.message : 'The watch was not saved; try again.'}
        </p>
      ) : null}
    </div>
  );
}
